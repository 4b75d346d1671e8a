using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EarlyWarning.Alerting.Delivery;

/// <summary>
/// The signature of a webhook request, as Stripe signs its own: the header
/// "EarlyWarning-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "&lt;t&gt;.&lt;body&gt;" with the subscription's secret&gt;".
/// The timestamp is inside what is signed, so a receiver that refuses timestamps outside its replay window
/// (five minutes by default) refuses a captured request replayed later; the body cannot be changed without the secret.
/// </summary>
internal static class WebhookSignature
{
    public const string Header = "EarlyWarning-Signature";
    public const string IdempotencyHeader = "EarlyWarning-Delivery";
    public const string EventHeader = "EarlyWarning-Event";
    public static readonly TimeSpan DefaultReplayWindow = TimeSpan.FromMinutes(5);

    public static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Sign(string secret, long timestamp, string body) =>
        $"t={timestamp.ToString(CultureInfo.InvariantCulture)},v1={Hex(secret, timestamp, body)}";

    /// <summary>Whether the header was made with the secret over this body, at a time within the window around now.</summary>
    public static bool Verify(string secret, string? header, string body, DateTimeOffset now, TimeSpan replayWindow)
    {
        if (header is null) return false;
        long? timestamp = null;
        var signatures = new List<string>();
        foreach (var part in header.Split(','))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0) continue;
            var (key, value) = (part[..eq].Trim(), part[(eq + 1)..].Trim());
            if (key == "t" && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t)) timestamp = t;
            else if (key == "v1") signatures.Add(value);
        }
        if (timestamp is not { } ts || Math.Abs(now.ToUnixTimeSeconds() - ts) > replayWindow.TotalSeconds) return false;
        var expected = Encoding.ASCII.GetBytes(Hex(secret, ts, body));
        return signatures.Any(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s), expected));
    }

    private static string Hex(string secret, long timestamp, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret),
            Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + "." + body)));
}
