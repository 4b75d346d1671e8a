using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace EarlyWarning.IntegrationTests;

/// <summary>Ingestion's formats, dialects, limits and idempotency over real HTTP, through to harmonized storage.</summary>
[Collection(SystemCollection.Name)]
public sealed class IngestionHttpTests(SystemFixture system)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private async Task<Guid> AcceptedAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("submissionId").GetGuid();
    }

    /// <summary>
    /// Harmonized series totals of a submission: the agreements release one per period, place, nationality and
    /// category (sex and age `_T`), whatever breakdown rows the file had, so these are what a file's rows become.
    /// </summary>
    private async Task<long> HarmonizedAsync(Guid submissionId, long expected) =>
        await system.WaitForCountAsync(
            "SELECT count(*) FROM classification.harmonized_observations WHERE submission_id = @id AND sex = '_T' AND age_group = '_T'",
            expected, Patience, ("id", submissionId));

    private static ByteArrayContent Body(byte[] bytes, string contentType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    /// <summary>Sends the body in pieces of a few bytes, flushed one by one, without a Content-Length (chunked).</summary>
    private sealed class TricklingContent(byte[] bytes, string contentType) : HttpContent
    {
        public TricklingContent Typed() { Headers.ContentType = MediaTypeHeaderValue.Parse(contentType); return this; }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (int i = 0, piece = 1; i < bytes.Length; i += piece, piece = piece % 7 + 1)
            {
                await stream.WriteAsync(bytes.AsMemory(i, Math.Min(piece, bytes.Length - i)));
                await stream.FlushAsync();
            }
        }

        protected override bool TryComputeLength(out long length) { length = 0; return false; }
    }

    [Fact]
    public async Task A_csv_whose_escaped_quotes_arrive_in_pieces_of_one_to_seven_bytes_is_accepted()
    {
        var point = SyntheticSubmission.NewBorderPoint();
        // Escaped quotes in the quoted personal field and category, twenty weeks of one series.
        var csv = "period,border_point,nationality,category,sex,count,document_number\n" + string.Concat(Enumerable.Range(0, 20).Select(i =>
            $"{SyntheticSubmission.FirstWeek.AddDays(7 * i):yyyy-MM-dd},{point},venezolana,\"Ingreso por paso no habilitado\",F,{10 + i},\"P\"\"{i}\"\" \"\"x\"\"\"\n"));

        var id = await AcceptedAsync(await system.IngestionApi.PostAsync("/api/submissions?country=CHL",
            new TricklingContent(Encoding.UTF8.GetBytes(csv), "text/csv").Typed()));

        Assert.Equal(20, await HarmonizedAsync(id, 20));
    }

    [Fact]
    public async Task A_semicolon_separated_windows_1252_file_with_a_byte_order_mark_is_read_as_declared()
    {
        var point = SyntheticSubmission.NewBorderPoint();
        var csv = $"period;border_point;nationality;category;sex;count\r\n2024-01-01;{point};haitiana;Reconducción;F;12\r\n2024-01-08;{point};haitiana;Reconducción;F;13\r\n";
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var bytes = Encoding.GetEncoding(1252).GetBytes(csv);

        var id = await AcceptedAsync(await system.IngestionApi.PostAsync("/api/submissions?country=CHL", Body(bytes, "text/csv; charset=windows-1252")));

        Assert.Equal(2, await HarmonizedAsync(id, 2));
        Assert.Equal(2, await system.ScalarAsync(
            "SELECT count(*) FROM classification.harmonized_observations WHERE submission_id = @id AND sex = '_T' AND age_group = '_T' AND category = 'REFUSAL_OF_ENTRY'", ("id", id)));
    }

    [Fact]
    public async Task A_json_submission_is_accepted_and_harmonized()
    {
        var point = SyntheticSubmission.NewBorderPoint();
        var json = $$"""
            {"reportingCountry":"CHL","observations":[
              {"period":"2024-01-01","borderPoint":"{{point}}","nationality":"haitiano","category":"Ingreso regular","sex":"F","count":120},
              {"period":"2024-01-08","borderPoint":"{{point}}","nationality":"haitiano","category":"Ingreso regular","sex":"F","count":130}]}
            """;
        var id = await AcceptedAsync(await system.IngestionApi.PostAsync("/api/submissions", new StringContent(json, Encoding.UTF8, "application/json")));
        Assert.Equal(2, await HarmonizedAsync(id, 2));
    }

    [Fact]
    public async Task An_sdmx_csv_file_of_the_regional_dataflow_is_accepted_and_harmonized()
    {
        var point = SyntheticSubmission.NewBorderPoint();
        var sdmx = $"""
            STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,FREQ,TIME_PERIOD,BORDER_POINT,NATIONALITY,CATEGORY,SEX,AGE,OBS_VALUE,OBS_STATUS,CONF_STATUS
            dataflow,RCM_SACM:DF_MIGRATION_FLOWS(1.0),M,COL,W,2025-W42,{point},VEN,Ingreso irregular,_T,_T,120,A,F
            dataflow,RCM_SACM:DF_MIGRATION_FLOWS(1.0),M,COL,D,2025-10-21,{point},VEN,Ingreso irregular,F,_T,70,P,F
            """;

        using var colombia = system.Client(system.Ingestion, await system.IssueKeyAsync("publisher", "--country", "COL"));
        var response = await colombia.PostAsync("/api/submissions", Body(Encoding.UTF8.GetBytes(sdmx), "application/vnd.sdmx.data+csv; version=2.0.0"));
        var id = await AcceptedAsync(response);

        Assert.Equal(2, await HarmonizedAsync(id, 2));
        Assert.Equal(2, await system.ScalarAsync(
            "SELECT count(*) FROM classification.harmonized_observations WHERE submission_id = @id AND sex = '_T' AND age_group = '_T' AND reporting_country = 'COL' AND category = 'IRREGULAR_ENTRY' AND nationality = 'VEN'", ("id", id)));
    }

    public static TheoryData<string, string, string, int, string> ErrorClasses => new()
    {
        { "text/csv", "period,border_point,nationality,category,count\n2024-01-01,A\u0000B,VEN,X,1\n", "country=CHL", 400, "border_point" },
        { "text/csv", "period,border_point,nationality,category,count\n２０２６-W01,A,VEN,X,1\n", "country=CHL", 400, "period" },
        { "text/csv", "period,border_point,nationality,category,count,Doc,doc\n2024-01-01,A,VEN,X,1,a,b\n", "country=CHL", 400, "doc" },
        { "text/csv", "period,border_point,nationality,category,count,colour\n2024-01-01,A,VEN,X,1,red\n", "country=CHL", 400, "colour" },
        { "text/csv", $"period,border_point,nationality,category,count\n2024-01-01,{new string('a', 2_000_000)},VEN,X,1\n", "country=CHL", 400, "border_point" },
        { "text/csv", $"period,border_point,nationality,category,age_group,count\n2024-01-01,A,VEN,X,{new string('9', 4000)},1\n", "country=CHL", 400, "age_group" },
        { "text/csv", "period,border_point,nationality,category,count\n9999-12-27,A,VEN,X,1\n", "country=CHL", 400, "period" },
        { "text/csv", "period,border_point,nationality,category,count\n2024-01-01,A,VEN,X,9223372036854775000\n", "country=CHL", 400, "count" },
        { "text/csv", "period,border_point,nationality,category,count\n2024-01-01,\"A,VEN,X,1\n", "country=CHL", 400, "row" },
        { "text/csv", "period,border_point,nationality,category,count\n2024-01-01,A,VEN,X,1\n", "country=Chile", 403, "reportingCountry" },
        { "text/csv; charset=ebcdic", "period\n", "country=CHL", 415, "Content-Type" },
        { "application/xml", "<x/>", "country=CHL", 415, "Content-Type" },
        { "text/csv", "period,border_point,nationality,category,count\n", "country=CHL&batchSize=abc", 400, "batchSize" },
        { "application/json", "{\"observations\":[{\"period\":\"2024-01-01\"", "country=CHL", 400, "body" },
        { "application/json", "{\"observations\":[{\"period\":\"2024-01-01\",\"borderPoint\":\"A\",\"nationality\":\"VEN\",\"category\":\"X\",\"count\":1,\"personal\":{\"photo\":\"x\"}}]}", "country=CHL", 400, "personal.photo" },
    };

    [Theory]
    [MemberData(nameof(ErrorClasses))]
    public async Task Each_class_of_bad_input_gets_a_problem_document_naming_the_field(string contentType, string body, string query, int status, string field)
    {
        var response = await system.IngestionApi.PostAsync($"/api/submissions?{query}", Body(Encoding.UTF8.GetBytes(body), contentType));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == field);
    }

    [Fact]
    public async Task Invalid_utf8_is_refused_with_the_line_it_is_on()
    {
        var bytes = Encoding.UTF8.GetBytes("period,border_point,nationality,category,count\n2024-01-01,A,VEN,X,1\n2024-01-08,Chacalluta,VEN,Reconducci")
            .Concat(new byte[] { 0xF3 }).Concat(Encoding.UTF8.GetBytes("n,1\n")).ToArray();
        var response = await system.IngestionApi.PostAsync("/api/submissions?country=CHL", Body(bytes, "text/csv"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray());
        Assert.Equal(3, error.GetProperty("line").GetInt32());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_over_the_limit_is_refused_with_413_whether_or_not_its_length_is_announced(bool announced)
    {
        var bytes = Encoding.UTF8.GetBytes("period,border_point,nationality,category,count\n" +
            string.Concat(Enumerable.Repeat("2024-01-01,A,VEN,Ingreso regular,1\n", (int)(SystemFixture.IngestionBodyLimit / 30))));
        HttpContent content = announced ? Body(bytes, "text/csv") : new TricklingContentLarge(bytes);

        HttpResponseMessage response;
        try
        {
            response = await system.IngestionApi.PostAsync("/api/submissions?country=CHL", content);
        }
        catch (HttpRequestException)
        {
            // The server may answer 413 and close before the client finished sending: then no response is read.
            Assert.True(await IngestionIsReadyAsync());
            return;
        }
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.True(await IngestionIsReadyAsync());
    }

    private async Task<bool> IngestionIsReadyAsync() => (await system.IngestionApi.GetAsync("/health/ready")).IsSuccessStatusCode;

    /// <summary>A large body sent chunked in 64 KiB writes, so the server cannot know its length in advance.</summary>
    private sealed class TricklingContentLarge : HttpContent
    {
        private readonly byte[] bytes;

        public TricklingContentLarge(byte[] bytes)
        {
            this.bytes = bytes;
            Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var i = 0; i < bytes.Length; i += 65536) await stream.WriteAsync(bytes.AsMemory(i, Math.Min(65536, bytes.Length - i)));
        }

        protected override bool TryComputeLength(out long length) { length = 0; return false; }
    }

    [Fact]
    public async Task A_repost_with_the_same_idempotency_key_and_content_returns_the_original_receipt_and_stores_nothing()
    {
        var point = SyntheticSubmission.NewBorderPoint();
        var csv = SyntheticSubmission.Csv(point, weeks: 3);
        var key = Guid.NewGuid().ToString();

        async Task<HttpResponseMessage> Post(string body)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/submissions?country=CHL") { Content = SyntheticSubmission.Content(body) };
            request.Headers.Add("Idempotency-Key", key);
            return await system.IngestionApi.SendAsync(request);
        }

        var first = await AcceptedAsync(await Post(csv));
        var again = await AcceptedAsync(await Post(csv));
        var other = await Post(csv.Replace(",40,", ",41,").Replace(",39,", ",38,") + $"2024-06-03,{point},venezolana,Ingreso regular,F,7,\n");

        Assert.Equal(first, again);
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, await system.ScalarAsync("SELECT count(*) FROM ingestion.submissions WHERE idempotency_key = @k", ("k", key)));
        Assert.Equal(9, await system.ScalarAsync("SELECT count(*) FROM ingestion.observations WHERE border_point = @p", ("p", point)));
        // Three weeks, two series a week (Venezuelan irregular entries; Haitian refusals, suppressed but kept in place).
        Assert.Equal(6, await HarmonizedAsync(first, 6));
    }

    [Fact]
    public async Task An_idempotency_key_belongs_to_its_country_so_another_countrys_reuse_gets_its_own_receipt_and_learns_nothing()
    {
        var key = Guid.NewGuid().ToString();
        async Task<HttpResponseMessage> Post(HttpClient publisher, string country, string body)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/submissions?country={country}") { Content = SyntheticSubmission.Content(body) };
            request.Headers.Add("Idempotency-Key", key);
            return await publisher.SendAsync(request);
        }

        var chile = await AcceptedAsync(await Post(system.IngestionApi, "CHL", SyntheticSubmission.Csv(SyntheticSubmission.NewBorderPoint(), weeks: 2)));
        var peruBody = SyntheticSubmission.Csv(SyntheticSubmission.NewBorderPoint(), weeks: 2);
        var peruResponse = await Post(await system.PublisherApiAsync("PER"), "PER", peruBody);
        var peru = await AcceptedAsync(peruResponse);

        Assert.NotEqual(chile, peru);
        Assert.DoesNotContain(chile.ToString(), await peruResponse.Content.ReadAsStringAsync());
        Assert.Equal(peru, await AcceptedAsync(await Post(await system.PublisherApiAsync("PER"), "PER", peruBody)));
        Assert.Equal(2, await system.ScalarAsync("SELECT count(*) FROM ingestion.submissions WHERE idempotency_key = @k", ("k", key)));
    }
}
