using System.ComponentModel.DataAnnotations;
using EarlyWarning.ServiceDefaults.Security;
using Microsoft.Extensions.Options;

namespace EarlyWarning.UnitTests.Security;

public sealed class ApiKeyLookupTests
{
    private readonly ManualClock _clock = new();
    private readonly Dictionary<Guid, StoredApiKey> _active = [];
    private readonly List<Guid> _lookups = [];

    private ApiKeyLookup Lookup(TimeSpan? duration = null, int capacity = 10_000) => new(
        (id, _) =>
        {
            lock (_lookups) _lookups.Add(id);
            return Task.FromResult(_active.GetValueOrDefault(id));
        },
        Options.Create(new ApiKeyOptions { UnknownKeyCacheDuration = duration ?? TimeSpan.FromSeconds(30), UnknownKeyCacheCapacity = capacity }),
        _clock);

    private Guid Issue()
    {
        var key = ApiKey.Generate();
        var salt = ApiKey.NewSalt();
        _active[key.KeyId] = new StoredApiKey(key.KeyId, "test", EarlyWarningClaims.Analyst, null, ["CHL"], salt, key.Hash(salt), _clock.GetUtcNow(), null);
        return key.KeyId;
    }

    [Fact]
    public async Task An_unknown_key_id_is_looked_up_once_while_it_is_remembered_and_again_once_it_is_forgotten()
    {
        var lookup = Lookup();
        var unknown = Guid.NewGuid();

        for (var i = 0; i < 100; i++) Assert.Null(await lookup.FindActiveAsync(unknown, CancellationToken.None));
        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Null(await lookup.FindActiveAsync(unknown, CancellationToken.None));
        Assert.Single(_lookups);

        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(await lookup.FindActiveAsync(unknown, CancellationToken.None));
        Assert.Equal(2, _lookups.Count);
    }

    [Fact]
    public async Task A_key_found_is_looked_up_on_every_request_so_that_its_revocation_applies_to_the_next_one_and_stays()
    {
        var lookup = Lookup();
        var id = Issue();

        Assert.NotNull(await lookup.FindActiveAsync(id, CancellationToken.None));
        Assert.NotNull(await lookup.FindActiveAsync(id, CancellationToken.None));
        _active.Remove(id);
        Assert.Null(await lookup.FindActiveAsync(id, CancellationToken.None));
        Assert.Null(await lookup.FindActiveAsync(id, CancellationToken.None));
        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Null(await lookup.FindActiveAsync(id, CancellationToken.None));

        Assert.Equal(4, _lookups.Count);
    }

    [Fact]
    public async Task A_key_issued_after_other_ids_were_refused_is_found_at_once()
    {
        var lookup = Lookup();
        for (var i = 0; i < 50; i++) await lookup.FindActiveAsync(Guid.NewGuid(), CancellationToken.None);

        var issued = Issue();

        Assert.Equal(issued, (await lookup.FindActiveAsync(issued, CancellationToken.None))?.KeyId);
    }

    [Fact]
    public async Task A_flood_of_made_up_key_ids_never_holds_more_than_the_capacity()
    {
        var lookup = Lookup(capacity: 100);

        await Parallel.ForAsync(0, 5_000, async (_, ct) => await lookup.FindActiveAsync(Guid.NewGuid(), ct));

        Assert.InRange(lookup.UnknownCount, 1, 100 + Environment.ProcessorCount);
        Assert.Equal(5_000, _lookups.Count);
    }

    [Fact]
    public async Task A_duration_of_zero_asks_the_store_every_time()
    {
        var lookup = Lookup(duration: TimeSpan.Zero);
        var unknown = Guid.NewGuid();

        for (var i = 0; i < 3; i++) await lookup.FindActiveAsync(unknown, CancellationToken.None);

        Assert.Equal(3, _lookups.Count);
    }

    [Theory]
    [InlineData("00:00:30", 10_000, true)]
    [InlineData("00:00:00", 1, true)]
    [InlineData("00:05:01", 10_000, false)]
    [InlineData("-00:00:01", 10_000, false)]
    [InlineData("00:00:30", 0, false)]
    public void The_cache_is_short_and_bounded_by_its_options(string duration, int capacity, bool valid)
    {
        var options = new ApiKeyOptions { UnknownKeyCacheDuration = TimeSpan.Parse(duration), UnknownKeyCacheCapacity = capacity };
        Assert.Equal(valid, Validator.TryValidateObject(options, new ValidationContext(options), [], validateAllProperties: true));
    }
}

/// <summary>A clock that moves only when told.</summary>
internal sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = new(2026, 1, 5, 12, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
