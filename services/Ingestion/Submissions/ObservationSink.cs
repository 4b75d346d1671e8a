using EarlyWarning.Contracts;

namespace EarlyWarning.Ingestion.Submissions;

/// <summary>Where a reader puts the rows it accepts, one at a time, so that no reader holds a whole submission.</summary>
internal interface IObservationSink
{
    int Count { get; }

    /// <param name="country">The reporting country as known when the row was read (part of the cell's identity).</param>
    ValueTask AddAsync(string? country, RawObservation row, CancellationToken ct);

    /// <summary>Rows that repeat a cell of an earlier row, as errors naming that row.</summary>
    Task<IReadOnlyList<SubmissionError>> DuplicatesAsync(CancellationToken ct);
}

/// <summary>Keeps the rows in memory (tests, and any caller that wants them as a list).</summary>
internal sealed class ObservationList : IObservationSink
{
    private readonly List<RawObservation> _rows = [];
    public IReadOnlyList<RawObservation> Rows => _rows;
    public int Count => _rows.Count;

    public ValueTask AddAsync(string? country, RawObservation row, CancellationToken ct)
    {
        _rows.Add(row);
        return ValueTask.CompletedTask;
    }

    public Task<IReadOnlyList<SubmissionError>> DuplicatesAsync(CancellationToken ct)
    {
        var errors = new List<SubmissionError>();
        ObservationRules.RejectDuplicateCells(_rows, errors);
        return Task.FromResult<IReadOnlyList<SubmissionError>>(errors);
    }
}
