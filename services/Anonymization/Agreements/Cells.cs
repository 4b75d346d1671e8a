namespace EarlyWarning.Anonymization.Agreements;

/// <summary>SDMX's marker for a dimension summed away (CL_SEX and CL_AGE use it for totals).</summary>
public static class Total
{
    public const string Code = "_T";

    public static bool Is(string? value) => value is not null && value.Trim().Equals(Code, StringComparison.OrdinalIgnoreCase);
}

/// <summary>A series' cell group: one period of one border point, nationality and national category. Tables never cross groups.</summary>
public readonly record struct GroupKey(DateOnly Period, string BorderPoint, string Nationality, string Category);

/// <summary>A published cell: its group and its breakdown (<see cref="Total.Code"/> where a dimension is summed away).</summary>
public readonly record struct CellKey(GroupKey Group, string Sex, string AgeGroup);

/// <summary>A national table cell as submitted (after record-level rows were generalized), before any table is built.</summary>
/// <param name="Sex">F or M; null when not broken down by sex.</param>
/// <param name="AgeGroup">Age group label; null when not broken down by age.</param>
public sealed record SourceCell(GroupKey Group, string? Sex, string? AgeGroup, long Count, int Line)
{
    /// <summary>Version Ingestion gave the cell: the national table keeps a cell's newest version only.</summary>
    public long Version { get; init; }

    /// <summary>The publisher deleted the cell: it leaves the national table (as a tombstone).</summary>
    public bool Deleted { get; init; }

    /// <summary>The publisher marked the cell not for publication (CONF_STATUS C, N or D).</summary>
    public bool Confidential { get; init; }
}

/// <summary>SDMX CL_CONF_STATUS: how a released cell may be used.</summary>
public enum ConfidentialityStatus
{
    /// <summary>F: free, the count is released.</summary>
    Free,
    /// <summary>C: confidential by the threshold rule (primary suppression).</summary>
    Confidential,
    /// <summary>D: suppressed so that a confidential cell cannot be derived (secondary suppression).</summary>
    Secondary,
}

public static class ConfidentialityStatusCodes
{
    public static string Code(this ConfidentialityStatus status) => status switch
    {
        ConfidentialityStatus.Free => "F",
        ConfidentialityStatus.Confidential => "C",
        _ => "D",
    };
}

/// <summary>A cell as it may leave the country: no value unless free. <paramref name="Line"/> is the first submitted line it sums.</summary>
public sealed record ReleasedCell(CellKey Key, string Table, long? Value, ConfidentialityStatus Status, bool Rounded, int Line)
{
    /// <summary>A suppressed cell's count is at least this, as anyone reading the release with the agreement works out; null when free.</summary>
    public long? LowerBound { get; init; }

    /// <summary>A suppressed cell's count is at most this; null when free, or when the release bounds it by nothing.</summary>
    public long? UpperBound { get; init; }
}

/// <summary>What the agreement did, for the audit.</summary>
/// <param name="SourceCells">Submitted cells aggregated into the tables.</param>
/// <param name="Generalized">Submitted cells whose age group was generalized to a band.</param>
/// <param name="Held">Re-published cells held back because they moved by less than k since an earlier release.</param>
/// <param name="BreakdownsWithheld">Breakdown tables not built for a group because some of its cells lack that dimension.</param>
public sealed record ReleaseCounts(int SourceCells, int Generalized, int Released, int PrimarySuppressed, int SecondarySuppressed, int Rounded, int Held, int BreakdownsWithheld);

/// <summary>The protected tables of one release, and what it took.</summary>
public sealed record Release(IReadOnlyList<ReleasedCell> Cells, ReleaseCounts Counts)
{
    /// <summary>Cells the tables still have but the revision rule held back: published before, and not deleted.</summary>
    public IReadOnlyList<CellKey> Held { get; init; } = [];
}
