using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EarlyWarning.Contracts;

namespace EarlyWarning.IntegrationTests;

[Collection(SystemCollection.Name)]
public sealed class ExportTests(SystemFixture system)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private const string Query = "/api/export?country=CHL,PER&from=1993-W01&to=1993-W02";

    /// <summary>
    /// A known dataset in the first two weeks of a year no other test uses (1993; 1994 for the round trip, which adds
    /// cells; OutageTests write weeks from 1960 to 1990): national spellings, a many-to-one pair, national age groups and sexes, a suppressed cell and a revision;
    /// in 1993 also a cell of unaccompanied children (a vulnerability, which the round trip cannot carry: see there).
    /// </summary>
    private async Task PublishKnownDatasetAsync(int year = 1993)
    {
        var cells = year == 1993 ? 8 : 7;
        var week1 = DateOnly.FromDateTime(System.Globalization.ISOWeek.ToDateTime(year, 1, DayOfWeek.Monday));
        var week2 = week1.AddDays(7);
        var inYear = ("from", (object)week1);
        var weeks = "SELECT count(*) FROM classification.harmonized_observations WHERE period BETWEEN @from AND @from + 13";
        if (await system.ScalarAsync(weeks, inYear) >= cells) return;
        var first = DateTimeOffset.UtcNow.AddMinutes(-10);
        await SendAsync("CHL", first,
            new AnonymizedObservation(1, week1, "Colchane", "venezolana", "Autodenuncia", "F", null, 12, false),
            // Another national category and spelling of the same regional cell: summed with the first.
            new AnonymizedObservation(2, week1, "Complejo Fronterizo Colchane", "venezolanas", "Ingreso por paso no habilitado", "F", null, 8, false),
            new AnonymizedObservation(3, week1, "Colchane", "haitiano", "Reconducción", "M", null, null, true),
            new AnonymizedObservation(4, week2, "Chacalluta", "Venezuela (República Bolivariana de)", "Solicitud de refugio", null, "18-59", 7, false),
            new AnonymizedObservation(5, week2, "Colchane", "venezolana", "Autodenuncia", "Hombres", null, 5, false));
        if (year == 1993)
            await SendAsync("CHL", first, new AnonymizedObservation(6, week2, "Colchane", "venezolanos", "NNA no acompañados", null, "Menores de edad", 6, false));
        await SendAsync("PER", first, new AnonymizedObservation(1, week1, "Tumbes CEBAF", "venezolanos", "Ingreso irregular", "F", null, 30, false));
        // A revision of the first cell, published later: it replaces 12 by 15.
        await SendAsync("CHL", first.AddMinutes(5), new AnonymizedObservation(1, week1, "Colchane", "venezolana", "Autodenuncia", "F", null, 15, false));
        Assert.Equal(cells, await system.WaitForCountAsync(weeks, cells, Patience, inYear));
    }

    [Fact]
    public async Task The_sdmx_csv_export_of_a_known_dataset_matches_the_expected_file_exactly()
    {
        await PublishKnownDatasetAsync();

        var response = await system.ClassificationApi.GetAsync(Query);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.sdmx.data+csv", response.Content.Headers.ContentType!.MediaType);
        var expected = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Expected", "export-1993.csv"));
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_export_comes_in_pages_each_linking_to_the_next_and_together_they_are_the_whole_export()
    {
        await PublishKnownDatasetAsync();
        var whole = (await system.ClassificationApi.GetStringAsync(Query)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        var rows = new List<string>();
        string? next = Query + "&pageSize=7";
        var pages = 0;
        while (next is not null)
        {
            var response = await system.ClassificationApi.GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(whole[0], lines[0]); // every page is a complete SDMX-CSV file
            rows.AddRange(lines.Skip(1));
            next = response.Headers.TryGetValues("Link", out var link) ? link.Single().Split('<', '>')[1] : null;
            pages++;
        }
        Assert.Equal(whole.Skip(1), rows);
        Assert.Equal((whole.Length - 1 + 6) / 7, pages);
        Assert.Equal(HttpStatusCode.BadRequest, (await system.ClassificationApi.GetAsync(Query + "&page=0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await system.ClassificationApi.GetAsync(Query + "&pageSize=100000000")).StatusCode);
    }

    [Fact]
    public async Task The_export_filters_by_place_at_any_level_category_nationality_and_period_and_also_speaks_json()
    {
        await PublishKnownDatasetAsync();

        async Task<List<string>> Rows(string filter, string query = Query) =>
            (await system.ClassificationApi.GetStringAsync(query + filter)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(l => string.Join(',', l.Split(',')[3..14])).ToList();

        Assert.Equal(4, (await Rows("&place=CL-TA")).Count);                 // a first-level region: Colchane's rows
        Assert.Equal(5, (await Rows("&place=CHL")).Count);                   // a country: every point in it
        Assert.Equal(["CHL,W,1993-W02,CHL-CHACALLUTA,VEN,ASYLUM_APPLICATION,_Z,_Z,_T,Y18T59,7"], await Rows("&place=CHL-CHACALLUTA"));
        Assert.Equal(["CHL,W,1993-W01,CHL-COLCHANE,HTI,REFUSAL_OF_ENTRY,ENTRY,_Z,M,_T,NaN"], await Rows("&nationality=HTI"));
        Assert.Equal(4, (await Rows("&category=IRREGULAR_ENTRY")).Count);
        Assert.Equal(3, (await Rows("&to=1993-01-04", "/api/export?country=CHL,PER&from=1993-W01")).Count);

        var json = await system.ClassificationApi.GetFromJsonAsync<JsonElement>("/api/export?country=PER&from=1993-W01&to=1993-W02&format=json");
        var cell = Assert.Single(json.GetProperty("observations").EnumerateArray());
        Assert.Equal(("PER-TUMBES-CEBAF", "ENTRY", "_Z", 30), (cell.GetProperty("borderPoint").GetString(), cell.GetProperty("direction").GetString(),
            cell.GetProperty("vulnerability").GetString(), cell.GetProperty("obsValue").GetInt32()));

        var bad = await system.ClassificationApi.GetAsync("/api/export?place=Atlantis&from=1993-W60");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("place", out _) && problem.GetProperty("errors").TryGetProperty("from", out _));
    }

    [Fact]
    public async Task An_analyst_exports_only_the_countries_of_its_scope_and_only_operators_see_the_review()
    {
        await PublishKnownDatasetAsync();
        using var analyst = system.Client(system.Classification, await system.IssueKeyAsync("analyst", "--countries", "PER"));
        using var anonymous = system.Client(system.Classification, null);

        var rows = (await analyst.GetStringAsync("/api/export?from=1993-W01&to=1993-W02")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        Assert.Equal(["PER"], rows.Select(r => r.Split(',')[3]).Distinct());
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.GetAsync("/api/export?country=CHL&from=1993-W01&to=1993-W02")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.GetAsync("/api/review/unmapped")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/export")).StatusCode);
    }

    [Fact]
    public async Task Corridors_count_the_events_of_each_nationality_through_each_crossing_from_its_neighbouring_country()
    {
        await PublishKnownDatasetAsync();

        var corridors = (await system.ClassificationApi.GetFromJsonAsync<JsonElement>("/api/corridors?country=CHL,PER&from=1993-W01&to=1993-W02"))
            .EnumerateArray().Select(c => $"{c.GetProperty("nationality").GetString()} {c.GetProperty("from").GetString()}>{c.GetProperty("crossing").GetString()}>{c.GetProperty("reportingCountry").GetString()} {c.GetProperty("events").GetInt64()}")
            .ToList();

        // The suppressed Haitian cell at Colchane is not published, so it is in no corridor.
        Assert.Equal(["VEN BOL>CHL-COLCHANE>CHL 34", "VEN ECU>PER-TUMBES-CEBAF>PER 30", "VEN PER>CHL-CHACALLUTA>CHL 7"], corridors);
    }

    [Fact]
    public async Task The_export_shows_each_cell_at_its_highest_version_whatever_order_it_arrived_in_and_leaves_deleted_cells_out()
    {
        var week = DateOnly.FromDateTime(System.Globalization.ISOWeek.ToDateTime(1992, 1, DayOfWeek.Monday));
        var (kept, deleted) = (Guid.NewGuid(), Guid.NewGuid());
        var at = DateTimeOffset.UtcNow;
        AnonymizedObservation Cell(Guid id, long version, string point, long count, bool delete = false) =>
            new(1, week, point, "VEN", "Autodenuncia", null, null, count, false) { CellId = id, Version = version, Deleted = delete };
        // Version 3 arrives (and is accepted) before version 2: 3 stays. The other cell's latest version deletes it.
        await SendAsync("CHL", at, Cell(kept, 3, "Colchane", 33));
        await SendAsync("CHL", at.AddMinutes(1), Cell(kept, 2, "Colchane", 22));
        await SendAsync("CHL", at, Cell(deleted, 1, "Chacalluta", 11));
        await SendAsync("CHL", at.AddMinutes(1), Cell(deleted, 2, "Chacalluta", 0, delete: true));
        Assert.Equal(4, await system.WaitForCountAsync("SELECT count(*) FROM classification.harmonized_observations WHERE cell_id = ANY(@ids)", 4, Patience,
            ("ids", new[] { kept, deleted })));

        var rows = (await system.ClassificationApi.GetStringAsync("/api/export?country=CHL&from=1992-W01&to=1992-W01&place=CHL-COLCHANE,CHL-CHACALLUTA")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => string.Join(',', l.Split(',')[6..14])).ToList();
        Assert.Equal(["CHL-COLCHANE,VEN,IRREGULAR_ENTRY,ENTRY,_Z,_T,_T,33"], rows);
    }

    /// <summary>
    /// The export re-imported as it is, SDMX-CSV through the ingestion API, gives the same regional cells: every regional
    /// code maps to itself. Confidential cells (NaN) are left out of the file sent: Ingestion takes a count or nothing.
    /// Direction and vulnerability are derived again from the category (Ingestion accepts the columns and does not read
    /// them), so a cell whose vulnerability or direction came from a national category (UASC) would come back as its
    /// category's default: the 1994 dataset has none.
    /// </summary>
    [Fact]
    public async Task The_sdmx_csv_export_re_imported_through_the_ingestion_api_gives_the_same_cells()
    {
        await PublishKnownDatasetAsync(1994);
        var file = await system.ClassificationApi.GetStringAsync("/api/export?country=CHL,PER&from=1994-W01&to=1994-W02");
        var lines = file.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        int Column(string name) => Array.IndexOf(header, name);
        string[] key = ["REF_AREA", "TIME_PERIOD", "BORDER_POINT", "NATIONALITY", "CATEGORY", "DIRECTION", "VULNERABILITY", "SEX", "AGE", "OBS_VALUE"];
        var exported = lines.Skip(1).Select(l => l.Split(',')).Where(f => f[Column("OBS_VALUE")] != "NaN").ToList();
        Assert.Equal(4, exported.Count);

        var reimported = new List<string>();
        foreach (var country in exported.GroupBy(f => f[Column("REF_AREA")]))
        {
            var sdmx = lines[0] + "\n" + string.Concat(country.Select(f => string.Join(',', f) + "\n"));
            var response = await (await system.PublisherApiAsync(country.Key)).PostAsync($"/api/submissions?country={country.Key}",
                new StringContent(sdmx, Encoding.UTF8, "application/vnd.sdmx.data+csv"));
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
            var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("submissionId").GetGuid();
            var stored = "SELECT count(*) FROM classification.harmonized_observations WHERE submission_id = @id";
            var count = await system.WaitForCountAsync(stored, country.Count(), Patience, ("id", id));
            Assert.True(country.Count() <= count);
            // The agreement's release may add margins in later batches: wait until nothing more arrives.
            for (long last = -1; count != last; count = await system.ScalarAsync(stored, ("id", id)))
            {
                last = count;
                await Task.Delay(TimeSpan.FromSeconds(2));
            }
            await using var cmd = system.Database.CreateCommand(
                """
                SELECT reporting_country, to_char(period, 'IYYY-"W"IW'), border_point, nationality, category, direction, vulnerability, sex, age_group, count
                FROM classification.harmonized_observations WHERE submission_id = @id
                """);
            cmd.Parameters.AddWithValue("id", id);
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                reimported.Add(string.Join(',', Enumerable.Range(0, key.Length).Select(i => reader.GetValue(i).ToString()!.Trim())));
        }

        // Every exported cell comes back as the same cell, with the same count unless the agreement suppressed it on
        // the way (a small cell, or one its margin would disclose); the agreement may add the margins of a breakdown
        // by sex or age (totals, `_T`), which the export did not contain.
        static string Key(string cell) => cell[..cell.LastIndexOf(',')];
        var expected = exported.Select(f => string.Join(',', key.Select(k => f[Column(k)]))).ToList();
        foreach (var cell in expected)
        {
            var back = Assert.Single(reimported, r => Key(r) == Key(cell));
            Assert.True(back == cell || back.EndsWith(','), $"{cell} came back as {back}");
        }
        Assert.All(reimported.Where(r => !expected.Select(Key).Contains(Key(r))), extra => Assert.Contains("_T", extra));
    }

    private Task SendAsync(string country, DateTimeOffset acceptedAt, params AnonymizedObservation[] rows) =>
        system.SendAsync("classification-observations-anonymized",
            new ObservationsAnonymized(Guid.NewGuid(), country, 1, 1, acceptedAt, rows), Guid.NewGuid());
}
