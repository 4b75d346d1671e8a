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

    public string? AgeGroup(string? label) => label is null ? null : AgeGroups.GetValueOrDefault(label, label);

    public string? BandOf(int age) => AgeBands.FirstOrDefault(b => age >= b.From && age <= b.To)?.Name;
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
