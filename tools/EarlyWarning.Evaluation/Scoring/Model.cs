using EarlyWarning.Evaluation.Generation;
using EarlyWarning.Detection.Surveillance;

namespace EarlyWarning.Evaluation.Scoring;

/// <summary>A harmonized series of a watched level (dimensions the level sums away are "_T").</summary>
internal readonly record struct SeriesId(string Level, SeriesParts Parts)
{
    public override string ToString() => $"{Level}:{Parts}";

    /// <summary>The series of <paramref name="level"/> that contains the finest series <paramref name="finest"/>.</summary>
    public static SeriesId Containing(SeriesLevel level, SeriesParts finest) => new(level.Name, new SeriesParts(
        level.Has(SeriesDimensions.Country) ? finest.Country : SeriesParts.Total,
        level.Has(SeriesDimensions.BorderPoint) ? finest.BorderPoint : SeriesParts.Total,
        level.Has(SeriesDimensions.Nationality) ? finest.Nationality : SeriesParts.Total,
        level.Has(SeriesDimensions.Category) ? finest.Category : SeriesParts.Total));
}

/// <summary>
/// An alert as scored: its series, its first week, its last week above the bound and its closing week (indices into the
/// dataset's weeks), its state (active, closed, withdrawn) and severity.
/// </summary>
internal sealed record AlertRecord(SeriesId Series, int Start, int LastSurgeWeek, int? ClosedWeek, string State, string? Severity, string? WithdrawnReason = null)
{
    /// <summary>The detector of its peak week.</summary>
    public string? Algorithm { get; init; }

    public bool Withdrawn => State == "withdrawn";

    public bool Overlaps(PlantedSurge surge) => Start <= surge.End && LastSurgeWeek >= surge.Start;
}

/// <summary>What one side measured: its alerts and, per series, which weeks were judged (a bound was computed).</summary>
internal sealed record DetectionRun(string Name, IReadOnlyList<AlertRecord> Alerts, IReadOnlyDictionary<SeriesId, bool[]> Judged)
{
    /// <summary>Series-weeks judged per level and detector.</summary>
    public IReadOnlyDictionary<(string Level, string Algorithm), long> JudgedByDetector { get; init; } = new Dictionary<(string, string), long>();
}
