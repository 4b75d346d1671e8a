namespace EarlyWarning.Anonymization.Agreements;

/// <summary>
/// A country's data-sharing agreement, as validated from its policy file: what may leave the country, and how.
/// </summary>
/// <param name="Source">The file it was read from (named in messages and the audit).</param>
/// <param name="Sha256">Digest of the file's bytes: the same id and version must always mean the same text.</param>
public sealed record Agreement(
    string Id,
    string Country,
    int Version,
    DateOnly EffectiveFrom,
    RecordLevelPolicy RecordLevel,
    Generalization Generalization,
    IReadOnlyList<PublishedTable> Tables,
    string Source,
    string Sha256)
{
    /// <summary>The table of series totals (border point × nationality × category per period); every agreement has one.</summary>
    public PublishedTable SeriesTable => Tables.Single(t => t.Breakdown == Breakdown.None);
}

/// <summary>Which columns of a record-level submission are personal, and whether a keyed pseudonym counts distinct persons.</summary>
public sealed record RecordLevelPolicy(IReadOnlyList<string> Identifiers, IReadOnlyList<string> QuasiIdentifiers, PseudonymKey? Pseudonym);

/// <summary>The secret of the agreement's keyed pseudonyms; <paramref name="KeyId"/> names it so that a rotated key is told apart.</summary>
public sealed record PseudonymKey(string KeyId, byte[] Secret);

/// <summary>How detail is coarsened before tables are built.</summary>
/// <param name="AgeGroups">National age-group label → published band; labels not listed are published as written.</param>
/// <param name="AgeBands">Bands that exact ages (the age or birth-date quasi-identifier) are generalized to.</param>
public sealed record Generalization(IReadOnlyDictionary<string, string> AgeGroups, IReadOnlyList<AgeBand> AgeBands)
{
    public static readonly Generalization None = new(new Dictionary<string, string>(), []);

    /// <summary>The published period: the ISO week Ingestion gives every cell, or its month.</summary>
    public PeriodLevel Period { get; init; } = PeriodLevel.Week;

    /// <summary>Border points as submitted, or coarsened to their region (see <see cref="Regions"/>) or to the whole country.</summary>
    public PlaceLevel BorderPoints { get; init; } = PlaceLevel.AsSubmitted;

    /// <summary>With <see cref="PlaceLevel.Region"/>: a border point as the authority writes it (see <see cref="PlaceKey"/>) → its region's ISO 3166-2 code.</summary>
    public IReadOnlyDictionary<string, string> Regions { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Nationalities whose series count in a period, border point and category is below this are published together
    /// as <see cref="OtherNationality.Code"/>; null keeps every nationality.
    /// </summary>
    public int? RareNationalitiesBelow { get; init; }

    public string? AgeGroup(string? label) => label is null ? null : AgeGroups.GetValueOrDefault(label, label);

    public string? BandOf(int age) => AgeBands.FirstOrDefault(b => age >= b.From && age <= b.To)?.Name;

    /// <summary>The published period of a week (Ingestion gives every cell the Monday of its ISO week).</summary>
    public DateOnly PeriodOf(DateOnly week) => Period == PeriodLevel.Month ? new DateOnly(week.Year, week.Month, 1) : week;

    /// <summary>
    /// The published border point: as written, its region's code, or the reporting country's code. A point the
    /// agreement does not place in a region is published as the country: coarser, never finer, than agreed.
    /// </summary>
    public string BorderPointOf(string written, string reportingCountry) => BorderPoints switch
    {
        PlaceLevel.Region => Regions.GetValueOrDefault(PlaceKey(written), reportingCountry),
        PlaceLevel.Country => reportingCountry,
        _ => written,
    };

    /// <summary>A place name compared without case, accents, punctuation or repeated spaces ("Pacaraima RR" = "pacaraima-rr").</summary>
    public static string PlaceKey(string written)
    {
        var text = new System.Text.StringBuilder(written.Length);
        foreach (var c in written.Normalize(System.Text.NormalizationForm.FormD))
        {
            if (System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.NonSpacingMark) continue;
            if (char.IsLetterOrDigit(c)) text.Append(char.ToLowerInvariant(c));
            else if (text.Length > 0 && text[^1] != ' ') text.Append(' ');
        }
        return text.ToString().TrimEnd();
    }
}

public enum PeriodLevel { Week, Month }

public enum PlaceLevel { AsSubmitted, Region, Country }

/// <summary>SDMX's code for "other" (as _T is total): the nationalities an agreement publishes together because each is rare.</summary>
public static class OtherNationality
{
    public const string Code = "_O";
}

/// <summary>An age band such as 0-17 or 60+ (<see cref="To"/> is int.MaxValue when open).</summary>
public sealed record AgeBand(string Name, int From, int To);

/// <summary>Which of sex and age group a published table breaks the series down by.</summary>
[Flags]
public enum Breakdown
{
    None = 0,
    Sex = 1,
    AgeGroup = 2,
}

/// <summary>A combination of dimensions that may leave the country, and the disclosure rule that protects it.</summary>
public sealed record PublishedTable(string Name, Breakdown Breakdown, DisclosureRule Rule);

/// <summary>How a table's small counts are protected.</summary>
public abstract record DisclosureRule;

/// <summary>Threshold rule: cells of 1 to K−1 are suppressed (primary), plus complementary cells so none can be derived (secondary).</summary>
public sealed record ThresholdRule(int K) : DisclosureRule;

/// <summary>Every count is rounded to a multiple of <paramref name="Base"/>, randomly (unbiased, as Statistics New Zealand does) or to the nearest.</summary>
public sealed record RoundingRule(int Base, bool Random) : DisclosureRule;
