using EarlyWarning.Admin;
using EarlyWarning.ServiceDefaults.Security;

namespace EarlyWarning.UnitTests;

public sealed class ApiKeyTests
{
    [Fact]
    public void A_generated_key_parses_back_to_the_same_id_and_secret()
    {
        var key = ApiKey.Generate();

        Assert.True(ApiKey.TryParse(key.ToString(), out var parsed));
        Assert.Equal(key, parsed);
        Assert.StartsWith("ew_" + key.KeyId.ToString("N") + "_", key.ToString());
    }

    [Fact]
    public void A_key_matches_its_salted_hash_and_no_other_secret_does()
    {
        var key = ApiKey.Generate();
        var salt = ApiKey.NewSalt();
        var stored = key.Hash(salt);

        Assert.True(key.Matches(salt, stored));
        Assert.False((key with { Secret = key.Secret[..^1] + (key.Secret[^1] == 'A' ? 'B' : 'A') }).Matches(salt, stored));
        Assert.False(key.Matches(ApiKey.NewSalt(), stored));
    }

    [Fact]
    public void Two_keys_never_share_a_secret_and_the_same_secret_hashes_differently_under_two_salts()
    {
        var (a, b) = (ApiKey.Generate(), ApiKey.Generate());

        Assert.NotEqual(a.Secret, b.Secret);
        Assert.NotEqual(a.Hash(ApiKey.NewSalt()), a.Hash(ApiKey.NewSalt()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("secret")]
    [InlineData("ew_not-a-guid-at-all-but-32-chars_x")]
    [InlineData("ew_0123456789abcdef0123456789abcdef_")]
    [InlineData("ew_0123456789abcdef0123456789abcdefXsecret")]
    public void A_malformed_key_does_not_parse(string? text) => Assert.False(ApiKey.TryParse(text, out _));

    [Theory]
    [InlineData("publisher", "CHL", "", null)]
    [InlineData("publisher", null, "", "a publisher needs --country (the one country it publishes for)")]
    [InlineData("publisher", "CHL", "PER", "a publisher has one --country, not --countries")]
    [InlineData("publisher", "Chile", "", "--country 'Chile' is not an ISO 3166-1 alpha-3 code")]
    [InlineData("analyst", null, "CHL,PER", null)]
    [InlineData("analyst", null, "", "an analyst needs --countries (the reporting countries it may see)")]
    [InlineData("analyst", "CHL", "", "an analyst has a scope (--countries), not a --country")]
    [InlineData("operator", null, "", null)]
    [InlineData("operator", null, "CHL", "an operator sees every country; give no --country or --countries")]
    public void A_credential_is_bound_to_exactly_the_scope_its_role_has(string role, string? country, string countries, string? problem) =>
        Assert.Equal(problem, AdminCommand.CheckScope(role, country, countries.Split(',', StringSplitOptions.RemoveEmptyEntries)));
}
