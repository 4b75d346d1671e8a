using System.Net.Http.Json;
using System.Text.Json;
using Spectre.Console;

namespace EarlyWarning.Publish;

/// <summary>Follows an accepted submission through the stages (GET /api/submissions/{id}) until Alerting has judged all of it.</summary>
internal static class SubmissionProgress
{
    public static async Task FollowAsync(IAnsiConsole output, HttpClient http, Uri? location, CancellationToken ct)
    {
        if (location is null) return;
        var deadline = DateTime.UtcNow.AddMinutes(10);
        JsonElement progress;
        while (true)
        {
            progress = (await http.GetFromJsonAsync<JsonElement>(location, ct)).GetProperty("progress");
            var evaluated = progress.GetProperty("evaluated");
            var done = progress.GetProperty("anonymized").GetProperty("released").ValueKind == JsonValueKind.Object
                       && evaluated.GetProperty("batchesWaiting").ValueKind == JsonValueKind.Number
                       && evaluated.GetProperty("batchesWaiting").GetInt64() == 0;
            if (done || DateTime.UtcNow > deadline) break;
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
        var table = new Table().Title("Progress").AddColumns("stage", "rows or cells", "batches done", "waiting", "failed");
        foreach (var stage in new[] { "anonymized", "classified", "evaluated" })
        {
            var s = progress.GetProperty(stage);
            var amount = s.TryGetProperty("rows", out var rows) ? rows.ToString() : s.GetProperty("cells").ToString();
            table.AddRow(stage, amount, s.GetProperty("batchesDone").ToString(), s.GetProperty("batchesWaiting").ToString(),
                Markup.Escape(string.Join("; ", s.GetProperty("batchesFailed").EnumerateArray().Select(f => $"{f.GetProperty("batch")}: {f.GetProperty("reason")}"))));
        }
        output.Write(table);
    }
}
