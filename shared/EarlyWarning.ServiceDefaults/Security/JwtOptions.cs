using System.ComponentModel.DataAnnotations;
using System.Net;

namespace EarlyWarning.ServiceDefaults.Security;

/// <summary>
/// A national identity provider whose JWT bearer tokens are accepted besides API keys. Bound from
/// "Authentication:Jwt"; off unless Issuer is set. The token's claims name the role and the country.
/// </summary>
public sealed class JwtOptions : IValidatableObject
{
    public const string Section = "Authentication:Jwt";

    /// <summary>The asymmetric signature algorithms there are: HMAC (a shared secret) and "none" never qualify.</summary>
    public static readonly IReadOnlySet<string> AsymmetricAlgorithms = new HashSet<string>(StringComparer.Ordinal)
        { "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512" };

    /// <summary>RS256 is what OpenID Connect providers sign with unless told otherwise; ES256 is the usual EC choice.</summary>
    public static readonly IReadOnlyList<string> DefaultAlgorithms = ["RS256", "ES256"];

    public string? Issuer { get; set; }
    public string? Audience { get; set; }
    /// <summary>OpenID Connect authority whose discovery document gives the signing keys.</summary>
    public string? Authority { get; set; }
    /// <summary>Or a PEM file with the provider's public key (RSA or EC).</summary>
    public string? SigningKeyFile { get; set; }

    /// <summary>
    /// The signature algorithms accepted ("Authentication:Jwt:Algorithms:0" …); empty means <see cref="DefaultAlgorithms"/>.
    /// Null by default because the configuration binder appends to an array it finds instead of replacing it.
    /// </summary>
    public string[]? Algorithms { get; set; }

    [Required] public string RoleClaim { get; set; } = "role";
    [Required] public string CountryClaim { get; set; } = "country";
    [Required] public string CountriesClaim { get; set; } = "countries";

    public bool Enabled => !string.IsNullOrWhiteSpace(Issuer);

    public IReadOnlyList<string> AcceptedAlgorithms => Algorithms is { Length: > 0 } configured ? configured : DefaultAlgorithms;

    /// <summary>
    /// Whether an authority is on this machine (a development provider, which may serve its discovery document
    /// over plain http). Decided on the parsed host: "http://127.0.0.1.example.org" is a name, not a loopback address.
    /// </summary>
    public static bool IsLoopback(string? authority) =>
        Uri.TryCreate(authority, UriKind.Absolute, out var uri)
        && (string.Equals(uri.DnsSafeHost, "localhost", StringComparison.OrdinalIgnoreCase)
            || uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 && IPAddress.TryParse(uri.DnsSafeHost, out var ip) && IPAddress.IsLoopback(ip));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled) yield break;
        if (string.IsNullOrWhiteSpace(Audience))
            yield return new ValidationResult("Authentication:Jwt:Audience is required when Issuer is set", [nameof(Audience)]);
        if (string.IsNullOrWhiteSpace(Authority) == string.IsNullOrWhiteSpace(SigningKeyFile))
            yield return new ValidationResult("Set exactly one of Authentication:Jwt:Authority and Authentication:Jwt:SigningKeyFile", [nameof(Authority), nameof(SigningKeyFile)]);
        else if (!string.IsNullOrWhiteSpace(SigningKeyFile) && !File.Exists(SigningKeyFile))
            yield return new ValidationResult($"Authentication:Jwt:SigningKeyFile '{SigningKeyFile}' does not exist", [nameof(SigningKeyFile)]);
        else if (!string.IsNullOrWhiteSpace(Authority)
                 && !(Uri.TryCreate(Authority, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp && IsLoopback(Authority))))
            yield return new ValidationResult($"Authentication:Jwt:Authority '{Authority}' must be an https URL (plain http only on a loopback address or localhost)", [nameof(Authority)]);
        if (AcceptedAlgorithms.FirstOrDefault(a => !AsymmetricAlgorithms.Contains(a)) is { } algorithm)
            yield return new ValidationResult(
                $"Authentication:Jwt:Algorithms: '{algorithm}' is not one of {string.Join(", ", AsymmetricAlgorithms)} (a provider signs with its private key; we hold only the public one)",
                [nameof(Algorithms)]);
    }
}
