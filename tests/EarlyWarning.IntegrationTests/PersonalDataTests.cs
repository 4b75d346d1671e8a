using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace EarlyWarning.IntegrationTests;

/// <summary>Record-level data (names, document numbers, birth dates) stays on the national side, and leaves Ingestion's outbox once sent.</summary>
[Collection(SystemCollection.Name)]
public sealed class PersonalDataTests(SystemFixture system)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Names_document_numbers_and_birth_dates_reach_no_regional_message_no_regional_table_and_leave_the_ingestion_outbox_once_sent()
    {
        var point = SyntheticSubmission.NewBorderPoint();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var personal = new List<string>();
        // The personal columns Chile's agreement declares (policy/agreements/CHL.yaml: doc_number, full_name, birth_date).
        var csv = new StringBuilder("period,border_point,nationality,category,sex,count,doc_number,full_name,birth_date\n");
        for (var w = 0; w < 10; w++)
            foreach (var sex in new[] { "F", "M" })
            {
                var (document, name, birth) = ($"P{tag}{w}{sex}", $"Zoraida Quispe{tag}{w}{sex}", $"19{50 + w}-0{(sex == "F" ? 3 : 4)}-1{w}");
                personal.AddRange([document, name, birth]);
                csv.Append(CultureInfo.InvariantCulture,
                    $"{SyntheticSubmission.FirstWeek.AddDays(7 * w):yyyy-MM-dd},{point},venezolana,Ingreso por paso no habilitado,{sex},{30 + w},{document},{name},{birth}\n");
            }

        var response = await system.IngestionApi.PostAsync("/api/submissions?country=CHL&batchSize=7", SyntheticSubmission.Content(csv.ToString()));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var submissionId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("submissionId").GetGuid();
        // Released under CHL's agreement as 10 series totals, 20 cells by sex and 10 by the age band of the birth dates.
        Assert.Equal(40, await system.WaitForCountAsync("SELECT count(*) FROM alerting.cells WHERE submission_id = @id", 40, Patience, ("id", submissionId)));
        Assert.Equal(3, await system.WaitForCountAsync(
            "SELECT count(*) FROM ingestion.outbox WHERE convert_from(body, 'UTF8')::json->>'submissionId' = @id AND dispatched_at IS NOT NULL",
            3, Patience, ("id", submissionId.ToString())));

        // The national side did see them: Anonymization removed three fields from each of the 20 rows.
        Assert.Equal(60, await system.ScalarAsync(
            "SELECT sum(personal_fields_removed) FROM anonymization.submission_batches WHERE submission_id = @id", ("id", submissionId)));
        // Ingestion's outbox keeps the sent batches, without the personal fields.
        Assert.Equal(3, await system.ScalarAsync(
            "SELECT count(*) FROM ingestion.outbox WHERE convert_from(body, 'UTF8') LIKE @point", ("point", $"%{point}%")));
        Assert.Equal(0, await system.ScalarAsync(
            "SELECT count(*) FROM ingestion.outbox WHERE convert_from(body, 'UTF8') LIKE ANY(@values) OR convert_from(body_after_dispatch, 'UTF8') LIKE ANY(@values)",
            ("values", Patterns(personal))));

        // Every message published on the regional virtual host: the batch crossed (so the tap works), the personal fields did not.
        var deadline = DateTime.UtcNow + Patience;
        while (system.RegionalMessages.Count(m => m.Contains(submissionId.ToString())) < 6 && DateTime.UtcNow < deadline) await Task.Delay(200);
        Assert.Contains(system.RegionalMessages, m => m.Contains("ObservationsAnonymized") && m.Contains(submissionId.ToString()));
        Assert.Contains(system.RegionalMessages, m => m.Contains("ObservationsHarmonized") && m.Contains(submissionId.ToString()));
        foreach (var message in system.RegionalMessages)
            Assert.DoesNotContain(personal, value => message.Contains(value, StringComparison.Ordinal));

        // Every table of the regional services, every column as text: the submission is there, its personal fields are not.
        Assert.True(await CountMatchesAsync(["classification", "alerting"], Patterns([submissionId.ToString()])) > 0);
        Assert.Equal(0, await CountMatchesAsync(["classification", "alerting"], Patterns(personal)));
    }

    /// <summary>Binary columns that hold numbers, not text (a verdict's basis: a detector's bounds): read as escaped bytes.</summary>
    private static readonly HashSet<string> BinaryNumbers = ["alerting.judgements.basis"];

    private static string[] Patterns(IEnumerable<string> values) => values.Select(v => "%" + v + "%").ToArray();

    [Fact]
    public async Task An_e_mail_typed_into_a_free_text_field_is_refused_in_the_country_with_its_line_and_field_and_nothing_is_stored()
    {
        var point = SyntheticSubmission.NewBorderPoint();
        const string mail = "juana.perez@example.org";
        var csv = $"period,border_point,nationality,category,count\n2024-01-01,{point},venezolana,Ingreso regular,12\n2024-01-08,{point},venezolana,Ingreso regular {mail},9\n";
        var response = await system.IngestionApi.PostAsync("/api/submissions?country=CHL", SyntheticSubmission.Content(csv));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(mail, body);
        var error = Assert.Single(JsonDocument.Parse(body).RootElement.GetProperty("errors").EnumerateArray());
        Assert.Equal((3, "category"), (error.GetProperty("line").GetInt32(), error.GetProperty("field").GetString()));
        Assert.Equal(0, await system.ScalarAsync("SELECT count(*) FROM ingestion.observations WHERE border_point = @p", ("p", point)));
    }

    private async Task<long> CountMatchesAsync(string[] schemas, string[] patterns)
    {
        var columns = new List<(string Table, string Column, string Type)>();
        await using (var cmd = system.Database.CreateCommand(
            """
            SELECT c.table_schema || '.' || c.table_name, c.column_name, c.data_type
            FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
            WHERE c.table_schema = ANY(@schemas) AND t.table_type = 'BASE TABLE'
            """))
        {
            cmd.Parameters.AddWithValue("schemas", schemas);
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) columns.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }
        Assert.Contains(columns, c => c.Table == "classification.harmonized_observations");
        long matches = 0;
        foreach (var table in columns.GroupBy(c => c.Table))
        {
            var text = string.Join(", ", table.Select(c => c.Type != "bytea" ? $"\"{c.Column}\"::text"
                : BinaryNumbers.Contains($"{c.Table}.{c.Column}") ? $"encode(\"{c.Column}\", 'escape')"
                : $"convert_from(\"{c.Column}\", 'UTF8')"));
            matches += await system.ScalarAsync($"SELECT count(*) FROM {table.Key} WHERE concat_ws('|', {text}) LIKE ANY(@patterns)", ("patterns", patterns));
        }
        return matches;
    }
}
