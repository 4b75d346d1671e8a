using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace EarlyWarning.ServiceDefaults.Security;

/// <summary>What a national identity provider's token must be, and the EarlyWarning caller it stands for.</summary>
internal static class JwtValidation
{
    /// <summary>
    /// A JWT (RFC 7519) or an OAuth access token (RFC 9068, whose "application/" prefix may be left out). Pinned so
    /// that another kind of token the provider signs with the same key (a logout token, a DPoP proof) is not taken for one.
    /// </summary>
    public static readonly IReadOnlyList<string> Types = ["JWT", "at+jwt", "application/at+jwt"];

    public static TokenValidationParameters Parameters(JwtOptions jwt) => new()
    {
        ValidIssuer = jwt.Issuer,
        ValidAudience = jwt.Audience,
        // Asymmetric only, as configured: "none" and HMAC keyed with our copy of the public key are refused by name.
        ValidAlgorithms = jwt.AcceptedAlgorithms,
        ValidTypes = Types,
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        NameClaimType = EarlyWarningClaims.Subject,
        RoleClaimType = jwt.RoleClaim,
    };

    /// <summary>
    /// The caller a validated token stands for, or why the token is refused. Every token names its own subject (owners of
    /// subscriptions and reviews are subjects, so a shared fallback would merge strangers), one real role, and country
    /// codes only: "_T" or a name in <c>countries</c> would widen an analyst's scope to series no one granted.
    /// </summary>
    public static (ClaimsIdentity? Caller, string? Problem) Caller(ClaimsPrincipal token, JwtOptions jwt)
    {
        var subject = token.FindFirst(EarlyWarningClaims.Subject)?.Value;
        if (string.IsNullOrWhiteSpace(subject))
            return (null, "The token has no 'sub' claim: every caller must be someone");

        var roles = token.FindAll(jwt.RoleClaim).Select(c => c.Value).Distinct(StringComparer.Ordinal).ToList();
        if (roles is not [var role] || !EarlyWarningClaims.Roles.Contains(role))
            return (null, $"The token's '{jwt.RoleClaim}' claim must be exactly one of: {string.Join(", ", EarlyWarningClaims.Roles)}");

        var country = token.FindAll(jwt.CountryClaim).Select(c => c.Value.Trim()).Distinct(StringComparer.Ordinal).ToList();
        // Space- or comma-separated in one string, or a JSON array (one claim per element).
        var countries = token.FindAll(jwt.CountriesClaim)
            .SelectMany(c => c.Value.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal).ToArray();
        if (!country.All(EarlyWarningClaims.IsCountryCode))
            return (null, $"The token's '{jwt.CountryClaim}' claim must be an ISO 3166-1 alpha-3 code (three upper-case letters)");
        if (!countries.All(EarlyWarningClaims.IsCountryCode))
            return (null, $"Every value of the token's '{jwt.CountriesClaim}' claim must be an ISO 3166-1 alpha-3 code (three upper-case letters)");
        if (role == EarlyWarningClaims.Publisher && country.Count != 1)
            return (null, $"A publisher's token needs exactly one ISO 3166-1 alpha-3 '{jwt.CountryClaim}' claim");

        return (EarlyWarningClaims.CreateIdentity(JwtBearerDefaults.AuthenticationScheme, subject, role,
            role == EarlyWarningClaims.Publisher ? country[0] : null, countries), null);
    }
}
