using System.ComponentModel.DataAnnotations;

namespace EarlyWarning.ServiceDefaults.Security;

/// <summary>
/// A national identity provider whose JWT bearer tokens are accepted besides API keys. Bound from
/// "Authentication:Jwt"; off unless Issuer is set. The token's claims name the role and the country.
/// </summary>
public sealed class JwtOptions : IValidatableObject
{
    public const string Section = "Authentication:Jwt";

    public string? Issuer { get; set; }
    public string? Audience { get; set; }
    /// <summary>OpenID Connect authority whose discovery document gives the signing keys.</summary>
    public string? Authority { get; set; }
    /// <summary>Or a PEM file with the provider's public key (RSA or EC).</summary>
    public string? SigningKeyFile { get; set; }

    [Required] public string RoleClaim { get; set; } = "role";
    [Required] public string CountryClaim { get; set; } = "country";
    [Required] public string CountriesClaim { get; set; } = "countries";

    public bool Enabled => !string.IsNullOrWhiteSpace(Issuer);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled) yield break;
        if (string.IsNullOrWhiteSpace(Audience))
            yield return new ValidationResult("Authentication:Jwt:Audience is required when Issuer is set", [nameof(Audience)]);
        if (string.IsNullOrWhiteSpace(Authority) == string.IsNullOrWhiteSpace(SigningKeyFile))
            yield return new ValidationResult("Set exactly one of Authentication:Jwt:Authority and Authentication:Jwt:SigningKeyFile", [nameof(Authority), nameof(SigningKeyFile)]);
        else if (!string.IsNullOrWhiteSpace(SigningKeyFile) && !File.Exists(SigningKeyFile))
            yield return new ValidationResult($"Authentication:Jwt:SigningKeyFile '{SigningKeyFile}' does not exist", [nameof(SigningKeyFile)]);
    }
}
