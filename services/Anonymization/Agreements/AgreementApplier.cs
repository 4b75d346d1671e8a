using EarlyWarning.Contracts;

namespace EarlyWarning.Anonymization.Agreements;

/// <summary>The result of applying an agreement to a batch.</summary>
internal sealed record AnonymizedBatch(IReadOnlyList<AnonymizedObservation> Observations, int SuppressedCells, int PersonalFieldsRemoved);

/// <summary>Applies a data-sharing agreement to a batch of raw rows. Pure: the same rows and agreement give the same result.</summary>
internal static class AgreementApplier
{
    public static AnonymizedBatch Apply(IReadOnlyList<RawObservation> rows, DataSharingAgreement agreement)
    {
        var output = new AnonymizedObservation[rows.Count];
        int suppressed = 0, removed = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            removed += row.PersonalFields?.Count ?? 0;
            // Zero is not disclosive; 1..k-1 is. The cell stays, flagged, so that totals show something was withheld.
            var suppress = row.Count > 0 && row.Count < agreement.MinimumCellCount;
            if (suppress) suppressed++;
            output[i] = new AnonymizedObservation(row.Line, row.Period, row.BorderPoint, row.Nationality, row.Category,
                row.Sex, row.AgeGroup, suppress ? null : row.Count, suppress)
            { CellId = row.CellId, Version = row.Version, Deleted = row.Deleted };
        }
        return new AnonymizedBatch(output, suppressed, removed);
    }
}
