using System.Text.Json;
using EarlyWarning.Contracts;
using Npgsql;
using NpgsqlTypes;

namespace EarlyWarning.Ingestion.Submissions;

/// <summary>
/// Streams the rows of a submission into a temporary table of the request's transaction as they are read
/// (binary COPY), so Ingestion's memory does not grow with the file. The table disappears with the transaction:
/// a refused submission leaves nothing behind.
/// </summary>
internal sealed class SubmissionStaging : IObservationSink, IAsyncDisposable
{
    public const string Table = "staged_observations";
    public const int RowsPerFetch = 5000;
    private readonly NpgsqlConnection _connection;
    private NpgsqlBinaryImporter? _copy;

    private SubmissionStaging(NpgsqlConnection connection, NpgsqlBinaryImporter copy)
    {
        _connection = connection;
        _copy = copy;
    }

    public int Count { get; private set; }

    public static async Task<SubmissionStaging> BeginAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using (var create = new NpgsqlCommand(
            $"""
            CREATE TEMP TABLE {Table} (
                line integer NOT NULL, period date NOT NULL, border_point text NOT NULL, nationality text NOT NULL, category text NOT NULL,
                sex text, age_group text, count bigint NOT NULL, deleted boolean NOT NULL, cell_id uuid NOT NULL, personal jsonb,
                confidential boolean NOT NULL
            ) ON COMMIT DROP
            """, connection, transaction))
            await create.ExecuteNonQueryAsync(ct);
        return new SubmissionStaging(connection, await connection.BeginBinaryImportAsync(
            $"COPY {Table} (line, period, border_point, nationality, category, sex, age_group, count, deleted, cell_id, personal, confidential) FROM STDIN (FORMAT BINARY)", ct));
    }

    public async ValueTask AddAsync(string? country, RawObservation row, CancellationToken ct)
    {
        var copy = _copy ?? throw new InvalidOperationException("the staging copy is complete");
        await copy.StartRowAsync(ct);
        await copy.WriteAsync(row.Line, NpgsqlDbType.Integer, ct);
        await copy.WriteAsync(row.Period, NpgsqlDbType.Date, ct);
        await copy.WriteAsync(row.BorderPoint, NpgsqlDbType.Text, ct);
        await copy.WriteAsync(row.Nationality, NpgsqlDbType.Text, ct);
        await copy.WriteAsync(row.Category, NpgsqlDbType.Text, ct);
        if (row.Sex is null) await copy.WriteNullAsync(ct); else await copy.WriteAsync(row.Sex, NpgsqlDbType.Text, ct);
        if (row.AgeGroup is null) await copy.WriteNullAsync(ct); else await copy.WriteAsync(row.AgeGroup, NpgsqlDbType.Text, ct);
        await copy.WriteAsync(row.Count, NpgsqlDbType.Bigint, ct);
        await copy.WriteAsync(row.Deleted, NpgsqlDbType.Boolean, ct);
        await copy.WriteAsync(CellIdentity.Of(country ?? "", row), NpgsqlDbType.Uuid, ct);
        if (row.PersonalFields is null) await copy.WriteNullAsync(ct);
        else await copy.WriteAsync(JsonSerializer.Serialize(row.PersonalFields), NpgsqlDbType.Jsonb, ct);
        await copy.WriteAsync(row.Confidential, NpgsqlDbType.Boolean, ct);
        Count++;
    }

    /// <summary>Ends the COPY; the staged rows can then be queried.</summary>
    public async Task CompleteAsync(CancellationToken ct)
    {
        if (_copy is null) return;
        await _copy.CompleteAsync(ct);
        await _copy.DisposeAsync();
        _copy = null;
    }

    public async Task<IReadOnlyList<SubmissionError>> DuplicatesAsync(CancellationToken ct)
    {
        await CompleteAsync(ct);
        var connection = _connection;
        await using var cmd = new NpgsqlCommand(
            $"""
            SELECT line, first FROM (SELECT line, min(line) OVER (PARTITION BY cell_id) AS first FROM {Table}) d
            WHERE line <> first ORDER BY line LIMIT {ObservationRules.MaximumErrors}
            """, connection);
        var errors = new List<SubmissionError>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            errors.Add(new(reader.GetInt32(0), "count",
                $"duplicates the cell of line {reader.GetInt32(1)} (same period, border point, nationality, category, sex and age group)"));
        return errors;
    }

    /// <summary>
    /// Reads the staged rows back in line order, in batches of <paramref name="batchSize"/>, through a cursor of the
    /// transaction fetched <see cref="RowsPerFetch"/> rows at a time (few round trips, bounded memory).
    /// </summary>
    public async IAsyncEnumerable<RawObservation[]> BatchesAsync(long version, int batchSize, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await CompleteAsync(ct);
        var connection = _connection;
        await using (var declare = new NpgsqlCommand(
            $"DECLARE staged_rows NO SCROLL CURSOR FOR SELECT line, period, border_point, nationality, category, sex, age_group, count, deleted, cell_id, personal::text, confidential FROM {Table} ORDER BY line",
            connection))
            await declare.ExecuteNonQueryAsync(ct);
        var fetchSize = Math.Max(batchSize, RowsPerFetch);
        while (true)
        {
            var batch = new List<RawObservation>(fetchSize);
            await using (var fetch = new NpgsqlCommand($"FETCH FORWARD {fetchSize} FROM staged_rows", connection))
            await using (var reader = await fetch.ExecuteReaderAsync(ct))
                while (await reader.ReadAsync(ct))
                    batch.Add(new RawObservation(reader.GetInt32(0), reader.GetFieldValue<DateOnly>(1), reader.GetString(2), reader.GetString(3),
                        reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                        reader.GetInt64(7), reader.IsDBNull(10) ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(10)))
                    {
                        Deleted = reader.GetBoolean(8),
                        Confidential = reader.GetBoolean(11),
                        CellId = reader.GetGuid(9),
                        Version = version,
                    });
            foreach (var chunk in batch.Chunk(batchSize)) yield return chunk;
            if (batch.Count < fetchSize) break;
        }
        await using var close = new NpgsqlCommand("CLOSE staged_rows", connection);
        await close.ExecuteNonQueryAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        // An unfinished COPY (the request was refused mid-stream) is cancelled; the transaction then rolls back.
        if (_copy is not null) await _copy.DisposeAsync();
        _copy = null;
    }
}
