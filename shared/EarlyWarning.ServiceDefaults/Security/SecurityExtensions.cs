using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace EarlyWarning.ServiceDefaults.Security;

/// <summary>Authorization policies the endpoints name.</summary>
public static class Policies
{
    /// <summary>A national authority's credential, bound to exactly one reporting country.</summary>
    public const string Publisher = "publisher";
    /// <summary>Analysts (within their scope of countries) and operators (every country).</summary>
    public const string Analyst = "analyst";
    public const string Operator = "operator";
    public const string PublisherOrOperator = "publisher-or-operator";
}

internal static class SecurityExtensions
{
    private const string Selector = "ApiKeyOrJwt";

    /// <summary>
    /// API keys (X-Api-Key) and, where configured, JWT bearer tokens of a national identity provider;
    /// every endpoint requires an authenticated caller unless it says otherwise (health only).
    /// </summary>
    public static IServiceCollection AddEarlyWarningSecurity(this IServiceCollection services)
    {
        services.AddOptions<JwtOptions>().BindConfiguration(JwtOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ApiKeyStore>();
        services.AddProblemDetails();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();

        services.AddAuthentication(Selector)
            .AddPolicyScheme(Selector, "API key or JWT bearer", options => options.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                && context.RequestServices.GetRequiredService<IOptions<JwtOptions>>().Value.Enabled
                    ? JwtBearerDefaults.AuthenticationScheme
                    : ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IOptions<JwtOptions>>(ConfigureJwt);

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Publisher, p => p.RequireClaim(EarlyWarningClaims.Role, EarlyWarningClaims.Publisher).RequireClaim(EarlyWarningClaims.Country))
            .AddPolicy(Policies.Analyst, p => p.RequireClaim(EarlyWarningClaims.Role, EarlyWarningClaims.Analyst, EarlyWarningClaims.Operator))
            .AddPolicy(Policies.Operator, p => p.RequireClaim(EarlyWarningClaims.Role, EarlyWarningClaims.Operator))
            .AddPolicy(Policies.PublisherOrOperator, p => p.RequireClaim(EarlyWarningClaims.Role, EarlyWarningClaims.Publisher, EarlyWarningClaims.Operator));
        return services;
    }

    private static void ConfigureJwt(JwtBearerOptions bearer, IOptions<JwtOptions> jwtOptions)
    {
        var jwt = jwtOptions.Value;
        if (!jwt.Enabled) return;
        // Our claim names are the provider's (configurable), not WS-Federation URIs.
        bearer.MapInboundClaims = false;
        bearer.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = jwt.Issuer,
            ValidAudience = jwt.Audience,
            NameClaimType = EarlyWarningClaims.Subject,
            RoleClaimType = jwt.RoleClaim,
        };
        if (!string.IsNullOrWhiteSpace(jwt.SigningKeyFile))
            bearer.TokenValidationParameters.IssuerSigningKey = LoadPublicKey(jwt.SigningKeyFile);
        else
        {
            bearer.Authority = jwt.Authority;
            bearer.RequireHttpsMetadata = !jwt.Authority!.StartsWith("http://127.0.0.1", StringComparison.Ordinal);
        }
        bearer.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                var token = context.Principal!;
                var role = token.FindFirst(jwt.RoleClaim)?.Value;
                var country = token.FindFirst(jwt.CountryClaim)?.Value?.Trim().ToUpperInvariant();
                var countries = token.FindAll(jwt.CountriesClaim)
                    .SelectMany(c => c.Value.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    .Select(c => c.ToUpperInvariant()).Distinct().ToArray();
                if (role is null || !EarlyWarningClaims.Roles.Contains(role))
                    context.Fail($"The token's '{jwt.RoleClaim}' claim must be one of: {string.Join(", ", EarlyWarningClaims.Roles)}");
                else if (role == EarlyWarningClaims.Publisher && (country is null || country.Length != 3 || !country.All(char.IsAsciiLetterUpper)))
                    context.Fail($"A publisher's token needs an ISO 3166-1 alpha-3 '{jwt.CountryClaim}' claim");
                else
                    context.Principal = new ClaimsPrincipal(EarlyWarningClaims.CreateIdentity(JwtBearerDefaults.AuthenticationScheme,
                        token.FindFirst(EarlyWarningClaims.Subject)?.Value ?? "unknown", role,
                        role == EarlyWarningClaims.Publisher ? country : null, countries));
                return Task.CompletedTask;
            },
        };
    }

    private static SecurityKey LoadPublicKey(string path)
    {
        var pem = File.ReadAllText(path);
        try
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            return new RsaSecurityKey(rsa);
        }
        catch (ArgumentException)
        {
            var ec = ECDsa.Create();
            ec.ImportFromPem(pem);
            return new ECDsaSecurityKey(ec);
        }
    }
}
