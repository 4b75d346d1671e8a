using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace EarlyWarning.ServiceDefaults.Security;

/// <summary>
/// Authenticates the X-Api-Key header against the salted hashes in the identity schema (through <see cref="ApiKeyLookup"/>,
/// which spares the database the ids it just found unknown).
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyLookup keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(ApiKey.Header, out var values)) return AuthenticateResult.NoResult();
        if (!ApiKey.TryParse(values.ToString(), out var key)) return AuthenticateResult.Fail("The API key is malformed");

        var stored = await keys.FindActiveAsync(key.KeyId, Context.RequestAborted);
        if (stored is null || !key.Matches(stored.Salt, stored.Hash))
            return AuthenticateResult.Fail("The API key is unknown or revoked");

        var identity = EarlyWarningClaims.CreateIdentity(SchemeName, stored.KeyId.ToString(), stored.Role, stored.Country, stored.Countries);
        identity.AddClaim(new Claim("name", stored.Name));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.Append(HeaderNames.WWWAuthenticate, $"ApiKey header=\"{ApiKey.Header}\"");
        return Task.CompletedTask;
    }
}
