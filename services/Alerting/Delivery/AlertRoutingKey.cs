using System.Text;

namespace EarlyWarning.Alerting.Delivery;

/// <summary>
/// The routing key of an alert revision on the topic exchange: "&lt;country&gt;.&lt;place&gt;.&lt;category&gt;.&lt;severity&gt;",
/// e.g. "PAN.PAN-LAJAS-BLANCAS.TRANSIT.Severe". A topic key's words are separated by '.', and '*' and '#' are
/// wildcards in bindings, so each part keeps only A-Z, a-z, 0-9, '-' and '_' and writes any other character as
/// '%' and its UTF-8 bytes in upper-case hex ("." is %2E, a space %20, "%" itself %25): no part can be mistaken
/// for two, and a binding can name any part exactly.
/// </summary>
internal static class AlertRoutingKey
{
    public static string Of(AlertRevision r) => Of(r.ReportingCountry, r.BorderPoint, r.Category, r.Severity);

    public static string Of(string country, string place, string category, string severity) =>
        string.Join('.', Escape(country), Escape(place), Escape(category), Escape(severity));

    public static string Escape(string part)
    {
        var text = new StringBuilder(part.Length);
        Span<byte> bytes = stackalloc byte[4];
        foreach (var rune in part.EnumerateRunes())
        {
            if (rune.IsAscii && (char.IsAsciiLetterOrDigit((char)rune.Value) || rune.Value is '-' or '_'))
            {
                text.Append((char)rune.Value);
                continue;
            }
            var length = rune.EncodeToUtf8(bytes);
            foreach (var b in bytes[..length]) text.Append('%').Append(b.ToString("X2"));
        }
        return text.ToString();
    }
}
