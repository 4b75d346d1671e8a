using EarlyWarning.Evaluation.Generation;
using EarlyWarning.Evaluation.Scoring;
using Npgsql;

namespace EarlyWarning.Evaluation.Pipeline;

/// <summary>Reads what the pipeline concluded from Alerting's tables: every alert (withdrawn ones too) and every verdict.</summary>
internal static class PipelineResults
{
    public static async Task<DetectionRun> ReadAsync(NpgsqlDataSource alerting, Dataset data, CancellationToken ct)
    {
        var alerts = new List<AlertRecord>();
        await using (var cmd = alerting.CreateCommand(
            """
            SELECT level, reporting_country, border_point, nationality, category, period, last_surge_week, closed_week, state, severity, withdrawn_reason, algorithm
            FROM alerting.alerts ORDER BY level, reporting_country, border_point, nationality, category, period
            """))
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
            {
                var id = new SeriesId(reader.GetString(0), new SeriesParts(reader.GetString(1).Trim(), reader.GetString(2), reader.GetString(3).Trim(), reader.GetString(4)));
                alerts.Add(new AlertRecord(id, Index(data, reader.GetFieldValue<DateOnly>(5)), Index(data, reader.GetFieldValue<DateOnly>(6)),
                    reader.IsDBNull(7) ? null : Index(data, reader.GetFieldValue<DateOnly>(7)), reader.GetString(8),
                    reader.IsDBNull(9) ? null : reader.GetString(9), reader.IsDBNull(10) ? null : reader.GetString(10)) { Algorithm = reader.IsDBNull(11) ? null : reader.GetString(11) });
            }

        var judged = new Dictionary<SeriesId, bool[]>();
        var byDetector = new Dictionary<(string, string), long>();
        await using (var cmd = alerting.CreateCommand(
            """
            SELECT level, reporting_country, border_point, nationality, category, period, coalesce(algorithm, '?')
            FROM alerting.judgements WHERE upper_bound IS NOT NULL AND reporting_country IS NOT NULL
            """))
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
            {
                var t = Index(data, reader.GetFieldValue<DateOnly>(5));
                if (t < 0 || t >= data.Weeks.Length) continue;
                var id = new SeriesId(reader.GetString(0), new SeriesParts(reader.GetString(1).Trim(), reader.GetString(2), reader.GetString(3).Trim(), reader.GetString(4)));
                if (!judged.TryGetValue(id, out var weeks)) judged[id] = weeks = new bool[data.Weeks.Length];
                weeks[t] = true;
                var key = (id.Level, reader.GetString(6));
                byDetector[key] = byDetector.GetValueOrDefault(key) + 1;
            }
        return new DetectionRun("pipeline", alerts, judged) { JudgedByDetector = byDetector };
    }

    private static int Index(Dataset data, DateOnly week) => data.WeekIndex(week);
}
