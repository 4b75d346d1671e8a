using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EarlyWarning.ServiceDefaults.Security;

namespace EarlyWarning.UnitTests.Security;

/// <summary>What a national identity provider's token must carry to be taken, through the services' own authentication.</summary>
public sealed class JwtValidationTests : IAsyncLifetime
{
    private SecurityHost _host = null!;

    public async Task InitializeAsync() => _host = await SecurityHost.StartAsync();
    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("unsigned, alg none")]
    [InlineData("HS256 keyed with the provider's public key")]
    [InlineData("RS384, not among the pinned algorithms")]
    [InlineData("typ logout+jwt")]
    [InlineData("no typ")]
    [InlineData("no sub")]
    [InlineData("an empty sub")]
    [InlineData("countries _T, the region-wide series")]
    [InlineData("countries with a lower-case code")]
    [InlineData("countries with a name")]
    [InlineData("a publisher with two countries")]
    [InlineData("a publisher with country _T")]
    [InlineData("an analyst with a malformed country")]
    [InlineData("two roles")]
    [InlineData("a role of ours in another case")]
    public async Task A_token_that_lacks_something_or_claims_too_much_is_401(string flaw)
    {
        var claims = SecurityHost.Claims();
        var publicPem = Encoding.ASCII.GetBytes(_host.SigningKey.ExportSubjectPublicKeyInfoPem());
        var token = flaw switch
        {
            "unsigned, alg none" => SecurityHost.Token(claims, _host.SigningKey, alg: "none"),
            "HS256 keyed with the provider's public key" => SecurityHost.Token(claims, _host.SigningKey, alg: "HS256", hmacKey: publicPem),
            "RS384, not among the pinned algorithms" => SecurityHost.Token(claims, _host.SigningKey, alg: "RS384"),
            "typ logout+jwt" => SecurityHost.Token(claims, _host.SigningKey, typ: "logout+jwt"),
            "no typ" => SecurityHost.Token(claims, _host.SigningKey, typ: null),
            "no sub" => SecurityHost.Token(With(claims, "sub", null), _host.SigningKey),
            "an empty sub" => SecurityHost.Token(With(claims, "sub", " "), _host.SigningKey),
            "countries _T, the region-wide series" => SecurityHost.Token(With(claims, "countries", new[] { "_T" }), _host.SigningKey),
            "countries with a lower-case code" => SecurityHost.Token(With(claims, "countries", "CHL per"), _host.SigningKey),
            "countries with a name" => SecurityHost.Token(With(claims, "countries", new[] { "CHL", "Chile" }), _host.SigningKey),
            "a publisher with two countries" => SecurityHost.Token(With(With(claims, "role", "publisher"), "country", new[] { "CHL", "PER" }), _host.SigningKey),
            "a publisher with country _T" => SecurityHost.Token(With(With(claims, "role", "publisher"), "country", "_T"), _host.SigningKey),
            "an analyst with a malformed country" => SecurityHost.Token(With(claims, "country", "_T"), _host.SigningKey),
            "two roles" => SecurityHost.Token(With(claims, "role", new[] { "analyst", "operator" }), _host.SigningKey),
            "a role of ours in another case" => SecurityHost.Token(With(claims, "role", "Operator"), _host.SigningKey),
            _ => throw new ArgumentOutOfRangeException(nameof(flaw)),
        };

        var response = await _host.GetAsync("/api/caller", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("JWT")]
    [InlineData("at+jwt")]
    [InlineData("application/at+jwt")]
    public async Task A_signed_token_typed_as_a_jwt_or_an_access_token_is_taken_for_its_subject(string typ)
    {
        var token = SecurityHost.Token(SecurityHost.Claims("analyst-7"), _host.SigningKey, typ: typ);

        var caller = await (await _host.GetAsync("/api/caller", token)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("analyst-7", caller.GetProperty("subject").GetString());
        Assert.Equal("analyst", caller.GetProperty("role").GetString());
    }

    [Fact]
    public async Task Countries_may_come_as_one_separated_string_or_as_an_array_and_a_publisher_keeps_its_one_country()
    {
        var asString = SecurityHost.Token(With(SecurityHost.Claims(), "countries", "CHL PER,COL"), _host.SigningKey);
        var asArray = SecurityHost.Token(With(SecurityHost.Claims(), "countries", new[] { "CHL", "PER", "COL" }), _host.SigningKey);
        var publisher = SecurityHost.Token(With(With(With(SecurityHost.Claims(), "role", "publisher"), "country", "PER"), "countries", null), _host.SigningKey);

        foreach (var token in new[] { asString, asArray })
        {
            var caller = await (await _host.GetAsync("/api/caller", token)).Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(["CHL", "PER", "COL"], caller.GetProperty("countries").EnumerateArray().Select(c => c.GetString()));
        }
        var peru = await (await _host.GetAsync("/api/caller", publisher)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("PER", peru.GetProperty("country").GetString());
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/realms/ew", true)]
    [InlineData("http://127.8.9.10/", true)]
    [InlineData("http://localhost:8080/", true)]
    [InlineData("http://LOCALHOST/", true)]
    [InlineData("http://[::1]:8080/", true)]
    [InlineData("http://127.0.0.1.example.org/", false)]
    [InlineData("http://localhost.example.org/", false)]
    [InlineData("http://10.0.0.1/", false)]
    [InlineData("https://idp.example.org/", false)]
    [InlineData("127.0.0.1", false)]
    [InlineData("", false)]
    public void An_authority_is_on_this_machine_by_its_parsed_host_not_by_how_its_text_begins(string authority, bool loopback) =>
        Assert.Equal(loopback, JwtOptions.IsLoopback(authority));

    [Theory]
    [InlineData("https://idp.example.org/realms/ew", null, null)]
    [InlineData("http://127.0.0.1:8080/realms/ew", null, null)]
    [InlineData("http://127.0.0.1.example.org/", null, "must be an https URL")]
    [InlineData("idp.example.org", null, "must be an https URL")]
    [InlineData("https://idp.example.org/", "PS256,ES384", null)]
    [InlineData("https://idp.example.org/", "RS256,HS256", "'HS256' is not one of")]
    [InlineData("https://idp.example.org/", "none", "'none' is not one of")]
    public void Options_refuse_a_plain_http_authority_off_this_machine_and_any_algorithm_but_an_asymmetric_one(string authority, string? algorithms, string? problem)
    {
        var options = new JwtOptions { Issuer = SecurityHost.Issuer, Audience = SecurityHost.Audience, Authority = authority, Algorithms = algorithms?.Split(',') };
        var results = new List<ValidationResult>();

        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);

        if (problem is null) Assert.Empty(results);
        else Assert.Contains(results, r => r.ErrorMessage!.Contains(problem));
    }

    [Fact]
    public void Without_configured_algorithms_rs256_and_es256_are_pinned() =>
        Assert.Equal(["RS256", "ES256"], new JwtOptions().AcceptedAlgorithms);

    private static Dictionary<string, object?> With(Dictionary<string, object?> claims, string name, object? value) =>
        new(claims) { [name] = value };
}
