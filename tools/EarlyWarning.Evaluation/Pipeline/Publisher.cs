using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using EarlyWarning.Evaluation.Generation;

namespace EarlyWarning.Evaluation.Pipeline;

/// <summary>A submission Ingestion accepted: its id, country, first and last week index and rows.</summary>
internal sealed record Submission(Guid Id, string Country, int FromWeek, int ToWeek, int Rows);

/// <summary>
/// Publishes each country's national file through the ingestion API with the country's publisher key: the history as one
/// submission per country, then (with a weekly tail) each of the last weeks as a submission of its own, week after week.
/// </summary>
internal sealed class Publisher(HttpClient http, Uri ingestion, IReadOnlyDictionary<string, string> keys)
{
    public async Task<List<Submission>> PublishAsync(Dataset data, int weeklyTail, TextWriter log, CancellationToken ct)
    {
        var submissions = new List<Submission>();
        var historyEnd = data.Weeks.Length - Math.Clamp(weeklyTail, 0, data.Weeks.Length - 1);
        foreach (var country in data.Countries.Select(c => c.Country))
            submissions.Add(await PostAsync(data, country, 0, historyEnd, ct));
        log.WriteLine($"  history (weeks 1-{historyEnd}): {submissions.Count} submissions, {submissions.Sum(s => s.Rows):N0} rows");
        for (var t = historyEnd; t < data.Weeks.Length; t++)
            foreach (var country in data.Countries.Select(c => c.Country))
                if (NationalFiles.RowCount(data, country, t, t + 1) > 0) submissions.Add(await PostAsync(data, country, t, t + 1, ct));
        if (historyEnd < data.Weeks.Length)
            log.WriteLine($"  weekly tail (weeks {historyEnd + 1}-{data.Weeks.Length}): {submissions.Count - data.Countries.Count} submissions, one per country and week");
        return submissions;
    }

    private async Task<Submission> PostAsync(Dataset data, string country, int from, int to, CancellationToken ct)
    {
        if (!keys.TryGetValue(country, out var key)) throw new InvalidOperationException($"no publisher key for {country} (EW_KEY_{country})");
        var csv = NationalFiles.Csv(data, country, from, to);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(ingestion, $"api/submissions?country={country}"));
        request.Headers.Add("X-Api-Key", key);
        request.Content = new StringContent(csv, Encoding.UTF8);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/csv") { CharSet = "utf-8" };
        using var response = await http.SendAsync(request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if ((int)response.StatusCode != 202)
            throw new InvalidOperationException($"{country} weeks {from + 1}-{to}: Ingestion answered {(int)response.StatusCode}: {Shorten(body)}");
        using var receipt = JsonDocument.Parse(body);
        var root = receipt.RootElement;
        return new Submission(root.GetProperty("submissionId").GetGuid(), country, from, to, root.GetProperty("observations").GetInt32());
    }

    private static string Shorten(string text) => text.Length <= 600 ? text : text[..600] + "…";
}
