using System.Security.Claims;

namespace EarlyWarning.ServiceDefaults.Security;

/// <summary>
/// The claims every EarlyWarning caller carries, whether it came with an API key or a JWT:
/// its role, and the reporting country (publishers) or the countries it may see (analysts).
/// </summary>
public static class EarlyWarningClaims
{
    public const string Subject = "sub";
    public const string Role = "role";
    public const string Country = "country";
    public const string Countries = "countries";

    public const string Publisher = "publisher";
    public const string Analyst = "analyst";
    public const string Operator = "operator";
    public static readonly IReadOnlySet<string> Roles = new HashSet<string>(StringComparer.Ordinal) { Publisher, Analyst, Operator };

    /// <summary>The one reporting country a publisher speaks for, or null for any other caller.</summary>
    public static string? PublisherCountry(this ClaimsPrincipal user) =>
        user.HasClaim(Role, Publisher) ? user.FindFirst(Country)?.Value : null;

    public static bool IsOperator(this ClaimsPrincipal user) => user.HasClaim(Role, Operator);

    /// <summary>
    /// An ISO 3166-1 alpha-3 code as credentials carry it: three upper-case ASCII letters. Anything else (the
    /// region-wide "_T" of the series, a name, a lower-case code) would name a scope no one was granted.
    /// </summary>
    public static bool IsCountryCode(string? code) => code is { Length: 3 } && code.All(char.IsAsciiLetterUpper);

    /// <summary>The reporting countries an analyst may see; operators see every country (null).</summary>
    public static IReadOnlySet<string>? VisibleCountries(this ClaimsPrincipal user) =>
        user.IsOperator() ? null : user.FindAll(Countries).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);

    public static ClaimsIdentity CreateIdentity(string authenticationType, string subject, string role, string? country, IEnumerable<string> countries)
    {
        var identity = new ClaimsIdentity(authenticationType, Subject, Role);
        identity.AddClaim(new Claim(Subject, subject));
        identity.AddClaim(new Claim(Role, role));
        if (country is not null) identity.AddClaim(new Claim(Country, country));
        foreach (var c in countries) identity.AddClaim(new Claim(Countries, c));
        return identity;
    }
}
