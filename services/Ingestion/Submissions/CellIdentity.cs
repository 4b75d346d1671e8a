using EarlyWarning.Contracts;

namespace EarlyWarning.Ingestion.Submissions;

/// <summary>The identity of a national cell as submitted (see <see cref="ServiceDefaults.Cells.CellIdentity"/>).</summary>
internal static class CellIdentity
{
    public static Guid Of(string country, RawObservation row) =>
        ServiceDefaults.Cells.CellIdentity.Of("", country, row.Period, row.BorderPoint, row.Nationality, row.Category, row.Sex, row.AgeGroup);
}
