using EarlyWarning.Contracts;
using EarlyWarning.ServiceDefaults.Messaging;

namespace EarlyWarning.Anonymization;

internal static class BatchGuard
{
    /// <summary>A batch that breaks the contract cannot be fixed by retrying: it goes straight to the error queue.</summary>
    public static void EnsureValid(ObservationsSubmitted batch)
    {
        if (batch.Observations is null) throw new InvalidBatchException("the batch has no observations list");
        if (batch.ReportingCountry is not { Length: 3 }) throw new InvalidBatchException($"reporting country '{batch.ReportingCountry}' is not an ISO alpha-3 code");
        foreach (var row in batch.Observations)
        {
            if (row is null) throw new InvalidBatchException("the batch contains a null observation");
            if (row.Count < 0) throw new InvalidBatchException($"line {row.Line}: negative count {row.Count}");
            if (string.IsNullOrWhiteSpace(row.BorderPoint) || string.IsNullOrWhiteSpace(row.Nationality) || string.IsNullOrWhiteSpace(row.Category))
                throw new InvalidBatchException($"line {row.Line}: border point, nationality and category are required");
        }
    }
}
