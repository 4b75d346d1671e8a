using System.ComponentModel.DataAnnotations;
using System.Net;

namespace EarlyWarning.ServiceDefaults.Management;

/// <summary>
/// The management port, where /metrics and the health report are served and nothing else; the API port answers
/// 404 for them, because the metrics count observations, suppressed cells and alerts by reporting country, which
/// an analyst's scope may hide. Bound from "Management". No default port: each service on a host needs its own.
/// </summary>
public sealed class ManagementOptions : IValidatableObject
{
    public const string Section = "Management";

    [Range(1, 65535, ErrorMessage = "Management:Port must be set (1 to 65535): /metrics and the health report are served there, apart from the API")]
    public int Port { get; set; }

    /// <summary>Loopback unless the deployment says otherwise (0.0.0.0 in a container, for a Prometheus beside it).</summary>
    [Required] public string Address { get; set; } = "127.0.0.1";

    /// <summary>The URL Kestrel listens on (IPv6 addresses in brackets).</summary>
    internal string Url => $"http://{new IPEndPoint(IPAddress.Parse(Address), Port)}";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // A host name could resolve to an interface the operator did not mean to open.
        if (!IPAddress.TryParse(Address, out _))
            yield return new ValidationResult($"Management:Address '{Address}' is not an IP address", [nameof(Address)]);
    }
}
