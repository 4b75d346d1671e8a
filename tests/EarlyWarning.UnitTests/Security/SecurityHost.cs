using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EarlyWarning.ServiceDefaults.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace EarlyWarning.UnitTests.Security;

/// <summary>
/// The services' authentication, rate limiting and authorization (AddEarlyWarningSecurity, UseEarlyWarningSecurity) in a
/// web server on loopback, trusting a test identity provider's key; no database, broker or other service. /api/caller
/// answers who the request was taken for; /health is exempt from limits, as the services' health endpoints are.
/// </summary>
internal sealed class SecurityHost : IAsyncDisposable
{
    public const string Issuer = "https://idp.test.invalid/";
    public const string Audience = "earlywarning";

    private readonly WebApplication _app;
    private readonly string _keyFile;

    public RSA SigningKey { get; }
    public HttpClient Http { get; }

    private SecurityHost(WebApplication app, RSA signingKey, string keyFile)
    {
        _app = app;
        SigningKey = signingKey;
        _keyFile = keyFile;
        Http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
    }

    public static async Task<SecurityHost> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var key = RSA.Create(2048);
        var keyFile = Path.Combine(Path.GetTempPath(), $"earlywarning-unit-idp-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(keyFile, key.ExportSubjectPublicKeyInfoPem());

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Authentication:Jwt:Issuer"] = Issuer,
            ["Authentication:Jwt:Audience"] = Audience,
            ["Authentication:Jwt:SigningKeyFile"] = keyFile,
        });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        // Never opened: these tests send no API key, so nothing is looked up.
        builder.Services.AddSingleton(NpgsqlDataSource.Create("Host=127.0.0.1;Port=9"));
        builder.Services.AddEarlyWarningSecurity();

        var app = builder.Build();
        app.UseEarlyWarningSecurity();
        app.MapGet("/api/caller", (ClaimsPrincipal user) => new
        {
            subject = user.FindFirst(EarlyWarningClaims.Subject)?.Value,
            role = user.FindFirst(EarlyWarningClaims.Role)?.Value,
            country = user.FindFirst(EarlyWarningClaims.Country)?.Value,
            countries = user.FindAll(EarlyWarningClaims.Countries).Select(c => c.Value).ToArray(),
        });
        app.MapGet("/health", () => "ok").AllowAnonymous().DisableRateLimiting();
        await app.StartAsync();
        return new SecurityHost(app, key, keyFile);
    }

    public Task<HttpResponseMessage> GetAsync(string path, string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return Http.SendAsync(request);
    }

    /// <summary>Claims of a token the test provider would issue to an analyst of CHL, to change one thing in.</summary>
    public static Dictionary<string, object?> Claims(string subject = "analyst-1") => new()
    {
        ["iss"] = Issuer, ["aud"] = Audience, ["sub"] = subject, ["role"] = "analyst", ["countries"] = "CHL",
        ["iat"] = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(),
        ["exp"] = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds(),
    };

    /// <summary>
    /// A compact JWS with this header's alg and typ (no typ when null) over these claims (a null claim is left out):
    /// RS256/RS384 signed with <paramref name="rsa"/>, HS256 keyed with <paramref name="hmacKey"/>, "none" unsigned.
    /// </summary>
    public static string Token(IReadOnlyDictionary<string, object?> claims, RSA rsa, string alg = "RS256", string? typ = "JWT", byte[]? hmacKey = null)
    {
        var header = new Dictionary<string, object> { ["alg"] = alg };
        if (typ is not null) header["typ"] = typ;
        var payload = claims.Where(c => c.Value is not null).ToDictionary(c => c.Key, c => c.Value);
        var unsigned = Base64Url(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Base64Url(JsonSerializer.SerializeToUtf8Bytes(payload));
        var data = Encoding.ASCII.GetBytes(unsigned);
        var signature = alg switch
        {
            "none" => [],
            "HS256" => HMACSHA256.HashData(hmacKey!, data),
            "RS384" => rsa.SignData(data, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1),
            _ => rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        };
        return unsigned + "." + Base64Url(signature);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        SigningKey.Dispose();
        File.Delete(_keyFile);
    }
}
