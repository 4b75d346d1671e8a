using Npgsql;

namespace EarlyWarning.Classification.Mapping;

/// <summary>Keeps a recent snapshot of the mapping tables; a mapping an operator adds is picked up within a minute.</summary>
internal sealed class MappingRepository(NpgsqlDataSource db, TimeProvider clock)
{
    private static readonly TimeSpan MaximumAge = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _reload = new(1, 1);
    private MappingCatalog? _catalog;
    private DateTimeOffset _loadedAt;

    public async Task<MappingCatalog> GetAsync(CancellationToken ct)
    {
        if (_catalog is not null && clock.GetUtcNow() - _loadedAt < MaximumAge) return _catalog;
        await _reload.WaitAsync(ct);
        try
        {
            if (_catalog is not null && clock.GetUtcNow() - _loadedAt < MaximumAge) return _catalog;
            _catalog = await LoadAsync(ct);
            _loadedAt = clock.GetUtcNow();
            return _catalog;
        }
        finally
        {
            _reload.Release();
        }
    }

    private async Task<MappingCatalog> LoadAsync(CancellationToken ct)
    {
        var categories = new Dictionary<(string, string), string>();
        await using (var cmd = db.CreateCommand("SELECT reporting_country, national_category, regional_category FROM category_map"))
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                categories[(reader.GetString(0), MappingCatalog.Normalize(reader.GetString(1)))] = reader.GetString(2);

        var nationalities = new Dictionary<string, string>();
        await using (var cmd = db.CreateCommand("SELECT alias, iso3 FROM nationality_aliases"))
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                nationalities[MappingCatalog.Normalize(reader.GetString(0))] = reader.GetString(1);

        return new MappingCatalog(
            System.Collections.Frozen.FrozenDictionary.ToFrozenDictionary(categories),
            System.Collections.Frozen.FrozenDictionary.ToFrozenDictionary(nationalities));
    }
}
