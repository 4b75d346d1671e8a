using System.Globalization;
using System.Net;

namespace EarlyWarning.Alerting.Delivery;

/// <summary>
/// The internal destinations an operator lets webhooks reach (Delivery:Webhooks:AllowedHosts), for development and
/// tests: host names, IP addresses and CIDR ranges. An address or range allows URLs that name an address in it; a
/// host name allows URLs with that name, whatever it resolves to. A name is never let in by the range its answer
/// falls in: what the allow-list says is what an analyst may write, not what a DNS server may answer.
/// </summary>
internal sealed class WebhookAllowList
{
    private readonly HashSet<string> _names;
    private readonly List<IPNetwork> _ranges;

    private WebhookAllowList(HashSet<string> names, List<IPNetwork> ranges) => (_names, _ranges) = (names, ranges);

    public static WebhookAllowList Empty { get; } = new([], []);

    public bool IsEmpty => _names.Count == 0 && _ranges.Count == 0;

    /// <summary>The list of valid entries (<see cref="Problems"/> names the others; options validation refuses them at start).</summary>
    public static WebhookAllowList Parse(IEnumerable<string>? entries)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var ranges = new List<IPNetwork>();
        foreach (var entry in entries ?? [])
        {
            switch (Entry(entry))
            {
                case IPNetwork range: ranges.Add(range); break;
                case string name: names.Add(name); break;
            }
        }
        return new WebhookAllowList(names, ranges);
    }

    public static List<string> Problems(IReadOnlyList<string>? entries)
    {
        var problems = new List<string>();
        for (var i = 0; i < (entries?.Count ?? 0); i++)
        {
            var entry = entries![i];
            if (Entry(entry) is null)
                problems.Add($"Delivery:Webhooks:AllowedHosts:{i} '{entry}' is not a host name, an IP address or a CIDR range");
            else if (entry.Contains('/') && IPNetwork.TryParse(entry.Trim(), out var range) && range.PrefixLength == 0)
                problems.Add($"Delivery:Webhooks:AllowedHosts:{i} '{entry}' would allow every address; list the ranges meant");
        }
        return problems;
    }

    /// <summary>Whether the URL's host name (not an address) is listed.</summary>
    public bool AllowsName(string host) => _names.Contains(NormalName(host));

    /// <summary>Whether an address, named as such in the URL, is in a listed address or range.</summary>
    public bool AllowsAddress(IPAddress address)
    {
        address = WebhookAddresses.Canonical(address);
        return _ranges.Exists(r => r.Contains(address));
    }

    /// <summary>A host name as compared: lower case, in its ASCII (punycode) form, without the root's trailing dot.</summary>
    public static string NormalName(string host) => host.Trim().TrimEnd('.').ToLowerInvariant();

    /// <summary>A range (an address is a /32 or /128), a normalized host name, or null when the entry is neither.</summary>
    private static object? Entry(string? entry)
    {
        var text = entry?.Trim() ?? "";
        if (text.Length == 0) return null;
        if (text.Contains('/')) return IPNetwork.TryParse(text, out var range) ? range : null;
        var bare = text.StartsWith('[') && text.EndsWith(']') ? text[1..^1] : text;
        if (IPAddress.TryParse(bare, out var address))
        {
            address = WebhookAddresses.Canonical(address);
            return new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        }
        if (Uri.CheckHostName(text.TrimEnd('.')) != UriHostNameType.Dns) return null;
        try
        {
            return NormalName(new IdnMapping().GetAscii(text.TrimEnd('.')));
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
