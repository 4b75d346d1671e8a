using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
        services.AddOptions<ApiKeyOptions>().BindConfiguration(ApiKeyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<ApiKeyLookup>();
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
        services.AddCallerRateLimiting();
        return services;
    }

    /// <summary>
    /// Authentication, the rate limiter, authorization, in that order (after routing, which WebApplication adds first):
    /// the limiter needs the credential authentication found, and must come before authorization's 401 so that callers
    /// without a valid credential are counted too. Explicit, because WebApplication would otherwise add authentication
    /// and authorization itself, both ahead of any middleware the service adds.
    /// </summary>
    public static IApplicationBuilder UseEarlyWarningSecurity(this IApplicationBuilder app) =>
        app.UseAuthentication().UseRateLimiter().UseAuthorization();

    private static void ConfigureJwt(JwtBearerOptions bearer, IOptions<JwtOptions> jwtOptions)
    {
        var jwt = jwtOptions.Value;
        if (!jwt.Enabled) return;
        // Our claim names are the provider's (configurable), not WS-Federation URIs.
        bearer.MapInboundClaims = false;
        bearer.TokenValidationParameters = JwtValidation.Parameters(jwt);
        if (!string.IsNullOrWhiteSpace(jwt.SigningKeyFile))
            bearer.TokenValidationParameters.IssuerSigningKey = LoadPublicKey(jwt.SigningKeyFile);
        else
        {
            bearer.Authority = jwt.Authority;
            bearer.RequireHttpsMetadata = !JwtOptions.IsLoopback(jwt.Authority);
        }
        bearer.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                var (caller, problem) = JwtValidation.Caller(context.Principal!, jwt);
                if (caller is null) context.Fail(problem!);
                else context.Principal = new ClaimsPrincipal(caller);
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
