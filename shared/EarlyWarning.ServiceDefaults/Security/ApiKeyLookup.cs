using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace EarlyWarning.ServiceDefaults.Security;

/// <summary>
/// Finds the active credential of a key id, remembering for a short while the ids that have none, so that a client
/// retrying a revoked or mistyped key in a loop costs one database lookup per <see cref="ApiKeyOptions.UnknownKeyCacheDuration"/>
/// instead of one per request. Only "not found" is remembered: a key found is looked up again on every request, so a
/// revocation takes effect at the next one, and a wrong secret for a real key id (checked by the caller) never locks
/// its holder out. Revoked keys stay revoked, so remembering them as unknown cannot be wrong; a new key has a new random
/// id, so it is found at once.
/// </summary>
internal sealed class ApiKeyLookup
{
    private readonly Func<Guid, CancellationToken, Task<StoredApiKey?>> _find;
    private readonly IOptions<ApiKeyOptions> _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _unknownUntil = new();
    // Counted apart: ConcurrentDictionary.Count takes every lock, and this runs on every refused request.
    private int _unknownCount;

    public ApiKeyLookup(ApiKeyStore store, IOptions<ApiKeyOptions> options, TimeProvider time) : this(store.FindActiveAsync, options, time) { }

    internal ApiKeyLookup(Func<Guid, CancellationToken, Task<StoredApiKey?>> find, IOptions<ApiKeyOptions> options, TimeProvider time)
    {
        _find = find;
        _options = options;
        _time = time;
    }

    public async Task<StoredApiKey?> FindActiveAsync(Guid keyId, CancellationToken ct)
    {
        if (IsKnownUnknown(keyId)) return null;
        var stored = await _find(keyId, ct);
        if (stored is null) RememberUnknown(keyId);
        return stored;
    }

    private bool IsKnownUnknown(Guid keyId)
    {
        if (!_unknownUntil.TryGetValue(keyId, out var until)) return false;
        if (_time.GetUtcNow() < until) return true;
        if (_unknownUntil.TryRemove(KeyValuePair.Create(keyId, until))) Interlocked.Decrement(ref _unknownCount);
        return false;
    }

    private void RememberUnknown(Guid keyId)
    {
        var options = _options.Value;
        if (options.UnknownKeyCacheDuration <= TimeSpan.Zero) return;
        // Forgetting is always safe (the database decides), so a full list simply starts over.
        if (Volatile.Read(ref _unknownCount) >= options.UnknownKeyCacheCapacity)
        {
            _unknownUntil.Clear();
            Volatile.Write(ref _unknownCount, 0);
        }
        var until = _time.GetUtcNow() + options.UnknownKeyCacheDuration;
        if (_unknownUntil.TryAdd(keyId, until)) Interlocked.Increment(ref _unknownCount);
        else _unknownUntil[keyId] = until;
    }

    internal int UnknownCount => _unknownUntil.Count;
}
