using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EarlyWarning.ServiceDefaults.Security;

namespace EarlyWarning.UnitTests.Security;

/// <summary>The services' rate limiter, with small limits: three requests at once per address, five per credential, one more a second.</summary>
public sealed class RateLimitingTests : IAsyncLifetime
{
    private const int AddressBurst = 3, CallerBurst = 5;
    private SecurityHost _host = null!;

    public async Task InitializeAsync() => _host = await SecurityHost.StartAsync(new Dictionary<string, string?>
    {
        ["RateLimiting:PerAddress:Burst"] = AddressBurst.ToString(),
        ["RateLimiting:PerAddress:RequestsPerSecond"] = "1",
        ["RateLimiting:PerCaller:Burst"] = CallerBurst.ToString(),
        ["RateLimiting:PerCaller:RequestsPerSecond"] = "1",
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Requests_without_a_valid_credential_over_the_address_limit_are_429_with_a_problem_document_and_retry_after()
    {
        var withoutSubject = SecurityHost.Claims();
        withoutSubject.Remove("sub");
        var refusedToken = SecurityHost.Token(withoutSubject, _host.SigningKey);
        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < AddressBurst + 3; i++) responses.Add(await _host.GetAsync("/api/caller", i % 2 == 0 ? null : refusedToken));

        Assert.All(responses.Take(AddressBurst), r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        var limited = responses.Skip(AddressBurst).Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        foreach (var response in limited)
        {
            Assert.InRange(int.Parse(Assert.Single(response.Headers.GetValues("Retry-After"))), 1, 60);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(429, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32());
        }
        Assert.Equal(HttpStatusCode.OK, (await _host.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task Each_credential_has_its_own_limit_untouched_by_other_credentials_and_by_callers_without_one()
    {
        var first = SecurityHost.Token(SecurityHost.Claims("analyst-first"), _host.SigningKey);
        var second = SecurityHost.Token(SecurityHost.Claims("analyst-second"), _host.SigningKey);
        // The address's own budget spent first: a credential is not counted against its address.
        for (var i = 0; i < AddressBurst + 2; i++) await _host.GetAsync("/api/caller");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < CallerBurst + 3; i++) statuses.Add((await _host.GetAsync("/api/caller", first)).StatusCode);
        var other = await _host.GetAsync("/api/caller", second);

        Assert.All(statuses.Take(CallerBurst), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses.Skip(CallerBurst));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task A_caller_held_back_is_served_again_after_the_retry_after_it_was_given()
    {
        var token = SecurityHost.Token(SecurityHost.Claims("analyst-patient"), _host.SigningKey);
        HttpResponseMessage response;
        do response = await _host.GetAsync("/api/caller", token);
        while (response.StatusCode == HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);

        await Task.Delay(TimeSpan.FromSeconds(int.Parse(response.Headers.GetValues("Retry-After").Single())) + TimeSpan.FromMilliseconds(200));

        Assert.Equal(HttpStatusCode.OK, (await _host.GetAsync("/api/caller", token)).StatusCode);
    }

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    public void Callers_are_counted_by_address_and_an_ipv6_host_by_its_64_bit_prefix(string address, string counted) =>
        Assert.Equal(counted, CallerRateLimiting.Address(IPAddress.Parse(address)));

    [Theory]
    [InlineData(1000, 2000, null)]
    [InlineData(0, 2000, "RateLimiting: PerCaller: The field RequestsPerSecond must be between 1 and 1000000.")]
    [InlineData(1000, 0, "RateLimiting: PerCaller: The field Burst must be between 1 and 1000000.")]
    public void Limits_are_checked_at_start_nested_parts_too(int perSecond, int burst, string? problem)
    {
        var options = new RateLimitOptions { PerCaller = new TokenBucketLimit { RequestsPerSecond = perSecond, Burst = burst } };

        var result = new RateLimitOptionsValidator().Validate(null, options);

        Assert.Equal(problem, result.Failed ? Assert.Single(result.Failures!) : null);
    }

    [Fact]
    public void The_default_limits_stay_far_above_what_the_tests_and_the_benchmark_send()
    {
        var defaults = new RateLimitOptions();
        Assert.True(defaults.PerCaller is { RequestsPerSecond: >= 500, Burst: >= 2000 });
        Assert.True(defaults.PerAddress is { RequestsPerSecond: >= 10, Burst: >= 50 });
    }
}
