using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Npgsql;

namespace EarlyWarning.Benchmarks;

/// <summary>What one run through the four services measured.</summary>
internal sealed record PipelineFigures(string Name, int Observations, int BatchSize, int Messages, long Cells, TimeSpan ToHarmonized, TimeSpan ToAlerting,
    double LatencyP50Ms, double LatencyP99Ms, double LatencyMaxMs)
{
    public double HarmonizedPerSecond => Observations / ToHarmonized.TotalSeconds;
    /// <summary>Published cells (series totals and breakdowns, after the agreement) stored by Classification per second.</summary>
    public double CellsPerSecond => Cells / ToHarmonized.TotalSeconds;
    public double EndToEndPerSecond => Observations / ToAlerting.TotalSeconds;
}

/// <summary>
/// Pushes observations through the running system: CSV submissions to the ingestion API, then waits until
/// Classification has stored every harmonized row and Alerting has evaluated every batch.
/// </summary>
internal sealed class PipelineRun(HttpClient ingestion, NpgsqlDataSource db)
{
    private const int RowsPerSubmission = 10_000;

    public async Task<PipelineFigures> RunAsync(string name, int observations, int batchSize, CancellationToken ct)
    {
        var tag = $"B{Guid.NewGuid():N}"[..9];
        var submissions = Enumerable.Range(0, (observations + RowsPerSubmission - 1) / RowsPerSubmission)
            .Select(i => Csv(tag, i, Math.Min(RowsPerSubmission, observations - i * RowsPerSubmission)))
            .ToList();
        var alertingBefore = await ScalarAsync("SELECT count(*) FROM alerting.inbox", null, ct);
        // Only this run publishes meanwhile: its released messages are the outbox rows after this one.
        var releasedBefore = await ScalarAsync("SELECT coalesce(max(sequence), 0) FROM anonymization.outbox", null, ct);

        var clock = Stopwatch.StartNew();
        var ids = new List<Guid>();
        // Two authorities uploading at once.
        await Parallel.ForEachAsync(submissions, new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = ct }, async (s, token) =>
        {
            using var response = await ingestion.PostAsync($"/api/submissions?country=CHL&batchSize={batchSize}",
                new StringContent(s.Text, Encoding.UTF8, "text/csv"), token);
            if (response.StatusCode != HttpStatusCode.Accepted)
                throw new InvalidOperationException($"ingestion answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(token)}");
            var body = await response.Content.ReadAsStringAsync(token);
            var id = Guid.Parse(body.Split("\"submissionId\":\"")[1][..36]);
            lock (ids) ids.Add(id);
        });

        var idArray = ids.ToArray();
        // Anonymization applies the agreement to each whole submission and releases its published cells
        // (series totals and breakdowns): wait for every release, then for every released cell.
        await WaitAsync("SELECT count(*) FROM anonymization.submission_audit WHERE submission_id = ANY(@ids)", idArray.Length, idArray, ct);
        var cells = await ScalarAsync("SELECT sum(released) FROM anonymization.submission_audit WHERE submission_id = ANY(@ids)", idArray, ct);
        // Counted without reading the bodies: parsing every released batch as JSON took seconds of the cores the run measures.
        var messages = (int)await ScalarAsync(
            $"SELECT count(*) FROM anonymization.outbox WHERE sequence > {releasedBefore} AND message_type = 'EarlyWarning.Contracts.ObservationsAnonymized'", null, ct);
        await WaitAsync("SELECT count(*) FROM classification.harmonized_observations WHERE submission_id = ANY(@ids)", cells, idArray, ct);
        var toHarmonized = clock.Elapsed;
        await WaitAsync("SELECT count(*) - @before FROM alerting.inbox", messages, idArray, ct, alertingBefore);
        // The wide series (a country total, a nationality across the region) are judged in passes after the batches. A mark to
        // confirm is a series across the region whose weeks are judged and whose alerts wait for it to settle: not counted.
        await WaitAsync("SELECT CASE WHEN EXISTS (SELECT 1 FROM alerting.wide_judging_due WHERE NOT confirm) THEN 0 ELSE 1 END", 1, idArray, ct);
        var toAlerting = clock.Elapsed;

        await using var latency = db.CreateCommand(
            """
            SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms), percentile_cont(0.99) WITHIN GROUP (ORDER BY ms), max(ms)
            FROM (SELECT extract(epoch FROM stored_at - accepted_at) * 1000 AS ms FROM classification.harmonized_observations WHERE submission_id = ANY(@ids)) l
            """);
        latency.Parameters.AddWithValue("ids", idArray);
        await using var reader = await latency.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new PipelineFigures(name, observations, batchSize, messages, cells, toHarmonized, toAlerting,
            reader.GetDouble(0), reader.GetDouble(1), reader.GetDouble(2));
    }

    private async Task WaitAsync(string sql, long target, Guid[] ids, CancellationToken ct, long before = 0)
    {
        var deadline = DateTime.UtcNow.AddMinutes(15);
        while (true)
        {
            await using var cmd = db.CreateCommand(sql);
            cmd.Parameters.AddWithValue("ids", ids);
            cmd.Parameters.AddWithValue("before", before);
            var count = Convert.ToInt64(await cmd.ExecuteScalarAsync(ct));
            if (count >= target) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"only {count} of {target} after 15 minutes: {sql}");
            await Task.Delay(50, ct);
        }
    }

    private async Task<long> ScalarAsync(string sql, Guid[]? ids, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(sql);
        if (ids is not null) cmd.Parameters.AddWithValue("ids", ids);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct));
    }

    /// <summary>Distinct cells: 100 border points × 4 nationalities × 2 sexes × N weeks, for one submission.</summary>
    private static (string Text, int Rows) Csv(string tag, int index, int rows)
    {
        string[] nationalities = ["venezolana", "haitiana", "colombiana", "cubana"];
        var text = new StringBuilder("period,border_point,nationality,category,sex,count\n");
        var random = new Random(index);
        for (var r = 0; r < rows; r++)
        {
            var cell = r % 800;
            var week = r / 800;
            var period = new DateOnly(2020, 1, 6).AddDays(7 * week).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture,
                $"{period},{tag}-{index}-{cell / 8},{nationalities[cell % 4]},Ingreso por paso no habilitado,{((cell / 4) % 2 == 0 ? "F" : "M")},{random.Next(5, 200)}\n");
        }
        return (text.ToString(), rows);
    }
}
