using System.Text;
using EarlyWarning.Ingestion;
using EarlyWarning.Ingestion.Agreements;
using EarlyWarning.Ingestion.Submissions;

namespace EarlyWarning.UnitTests;

/// <summary>Dialects, charsets and hard limits of submissions, fed as a network would: in small pieces.</summary>
public sealed class IngestionLimitsAndDialectsTests
{
    private const string Header = "period,border_point,nationality,category,sex,count";

    /// <summary>Returns at most 1..7 bytes per read (cycling), as slow networks and proxies deliver bodies.</summary>
    private sealed class TricklingStream(byte[] bytes) : MemoryStream(bytes)
    {
        private int _turn;
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 1 + _turn++ % 7));
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 1 + _turn++ % 7)], ct);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
            base.ReadAsync(buffer, offset, Math.Min(count, 1 + _turn++ % 7), ct);
    }

    private static Task<ParsedSubmission> Read(string contentType, byte[] body, string? country = "CHL", SubmissionLimits? limits = null, char? delimiter = null) =>
        SubmissionReader.ReadAsync(contentType, new TricklingStream(body), SubmissionReaderTests.Context(country, limits, delimiter), CancellationToken.None);

    private static Task<ParsedSubmission> Read(string contentType, string body, string? country = "CHL", SubmissionLimits? limits = null) =>
        Read(contentType, Encoding.UTF8.GetBytes(body), country, limits);

    [Fact]
    public async Task An_escaped_quote_is_read_the_same_however_the_bytes_are_split()
    {
        var body = Encoding.UTF8.GetBytes(Header + "\r\n2024-01-01,\"Paso \"\"Los Libertadores\"\"\",VEN,\"Ingreso, regular\",F,12\r\n");
        for (var piece = 1; piece <= 7; piece++)
        {
            var parsed = await SubmissionReader.ReadAsync("text/csv", new PiecesStream(body, piece), SubmissionReaderTests.Context("CHL"), CancellationToken.None);
            Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors));
            var row = Assert.Single(parsed.Observations);
            Assert.Equal("Paso \"Los Libertadores\"", row.BorderPoint);
            Assert.Equal("Ingreso, regular", row.Category);
        }
    }

    private sealed class PiecesStream(byte[] bytes, int piece) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => base.ReadAsync(buffer[..Math.Min(buffer.Length, piece)], ct);
    }

    [Fact]
    public async Task A_semicolon_separated_file_is_detected_from_its_header()
    {
        var parsed = await Read("text/csv", "period;border_point;nationality;category;sex;count\n2024-01-01;Colchane;venezolana;\"Ingreso; regular\";F;12\n");

        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors));
        Assert.Equal("Ingreso; regular", Assert.Single(parsed.Observations).Category);
    }

    [Fact]
    public async Task A_stated_separator_wins_over_detection()
    {
        var parsed = await Read("text/csv", Encoding.UTF8.GetBytes("period;border_point;nationality;category;sex;count\n2024-01-01;A;VEN;X;F;1\n"), delimiter: ',');
        Assert.Contains(parsed.Errors, e => e.Field == "period;border_point;nationality;category;sex;count");
    }

    [Fact]
    public async Task A_byte_order_mark_and_crlf_line_ends_are_read()
    {
        var parsed = await Read("text/csv; charset=utf-8", "\uFEFF" + Header + "\r\n2024-01-01,Colchane,venezolana,Ingreso regular,F,12\r\n");
        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors));
    }

    [Fact]
    public async Task Invalid_utf8_is_refused_with_its_line_even_when_its_bytes_straddle_reads()
    {
        var body = Encoding.UTF8.GetBytes(Header + "\n2024-01-01,A,VEN,X,F,1\n2024-01-08,A,VEN,Recondu").Concat(new byte[] { 0xE7, 0x28 })
            .Concat(Encoding.UTF8.GetBytes("o,F,1\n")).ToArray();

        var parsed = await Read("text/csv", body);

        var error = Assert.Single(parsed.Errors);
        Assert.Equal(3, error.Line);
        Assert.Contains("E7", error.Reason);
    }

    [Theory]
    [InlineData("iso-8859-1", 28591)]
    [InlineData("windows-1252", 1252)]
    public async Task Latin_charsets_are_read_when_declared(string charset, int codePage)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var body = Encoding.GetEncoding(codePage).GetBytes(Header + "\n2024-01-01,Chacalluta,haitiana,Reconducción,F,3\n");

        var parsed = await Read($"text/csv; charset={charset}", body);

        Assert.Equal("Reconducción", Assert.Single(parsed.Observations).Category);
    }

    [Fact]
    public async Task Latin1_bytes_sent_without_a_charset_are_refused_not_guessed()
    {
        var body = Encoding.Latin1.GetBytes(Header + "\n2024-01-01,Chacalluta,haitiana,Reconducción,F,3\n");
        var error = Assert.Single((await Read("text/csv", body)).Errors);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public async Task An_unknown_charset_is_refused_as_unsupported()
    {
        var refusal = await Assert.ThrowsAsync<SubmissionRefusedException>(() => Read("text/csv; charset=ebcdic", Header + "\n"));
        Assert.Equal(415, refusal.Status);
    }

    [Theory]
    [InlineData("Col\u0000chane", "border_point", "U+0000")]
    [InlineData("Col\u200Bchane", "border_point", "U+200B")]
    [InlineData("Col\u0007chane", "border_point", "U+0007")]
    public async Task Control_and_invisible_characters_are_refused_naming_the_field(string borderPoint, string field, string reason)
    {
        var error = Assert.Single((await Read("text/csv", $"{Header}\n2024-01-01,{borderPoint},VEN,X,F,1\n")).Errors);
        Assert.Equal((2, field), (error.Line, error.Field));
        Assert.Contains(reason, error.Reason);
    }

    [Theory]
    [InlineData("２０２６-W01", "period")]
    [InlineData("2024-W0١", "period")]
    public async Task Non_ascii_digits_in_a_period_are_refused(string period, string field)
    {
        var error = Assert.Single((await Read("text/csv", $"{Header}\n{period},A,VEN,X,F,1\n")).Errors);
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public async Task Non_ascii_digits_in_a_count_are_refused() =>
        Assert.Equal("count", Assert.Single((await Read("text/csv", $"{Header}\n2024-01-01,A,VEN,X,F,１２\n")).Errors).Field);

    [Fact]
    public async Task A_field_longer_than_the_limit_is_refused_while_streaming_naming_its_column()
    {
        var error = Assert.Single((await Read("text/csv", $"{Header}\n2024-01-01,A,VEN,X,F,1\n2024-01-08,{new string('a', 5000)},VEN,X,F,1\n")).Errors);
        Assert.Equal((3, "border_point"), (error.Line, error.Field));
    }

    [Fact]
    public async Task A_field_over_the_limit_in_the_first_piece_read_still_names_its_column()
    {
        var body = Encoding.UTF8.GetBytes($"{Header}\n2024-01-01,{new string('a', 300)},VEN,X,F,1\n");
        var parsed = await SubmissionReader.ReadAsync("text/csv", new MemoryStream(body), SubmissionReaderTests.Context("CHL"), CancellationToken.None);
        Assert.Equal((2, "border_point"), (Assert.Single(parsed.Errors).Line, parsed.Errors[0].Field));
    }

    [Fact]
    public async Task Json_strings_that_are_not_utf8_are_refused_naming_the_observation()
    {
        var body = Encoding.UTF8.GetBytes("{\"observations\":[{\"period\":\"2024-01-01\",\"borderPoint\":\"A").Concat(new byte[] { 0xFF })
            .Concat(Encoding.UTF8.GetBytes("\",\"nationality\":\"VEN\",\"category\":\"X\",\"count\":1}]}")).ToArray();
        var parsed = await Read("application/json", body);
        Assert.Equal((1, "observation"), (Assert.Single(parsed.Errors).Line, parsed.Errors[0].Field));
    }

    [Fact]
    public async Task An_age_group_longer_than_200_characters_is_refused()
    {
        var error = Assert.Single((await Read("text/csv", $"period,border_point,nationality,category,age_group,count\n2024-01-01,A,VEN,X,{new string('9', 201)},1\n")).Errors);
        Assert.Equal("age_group", error.Field);
    }

    [Fact]
    public async Task Counts_above_the_maximum_are_refused_so_sums_downstream_cannot_overflow()
    {
        var parsed = await Read("text/csv", $"{Header}\n2024-01-01,A,VEN,X,F,9223372036854775000\n2024-01-08,A,VEN,X,F,99999999999999999999999\n");
        Assert.Equal([(2, "count"), (3, "count")], parsed.Errors.Select(e => (e.Line, e.Field)));
    }

    [Theory]
    [InlineData("9999-12-27")]
    [InlineData("1999-12-01")]
    [InlineData("2026-12-14")]
    public async Task Periods_outside_the_earliest_date_and_next_week_are_refused(string period) =>
        Assert.Equal("period", Assert.Single((await Read("text/csv", $"{Header}\n{period},A,VEN,X,F,1\n")).Errors).Field);

    [Fact]
    public async Task Next_week_is_still_accepted() =>
        Assert.Empty((await Read("text/csv", $"{Header}\n2026-11-30,A,VEN,X,F,1\n")).Errors);

    [Fact]
    public async Task Duplicate_column_names_are_refused_without_regard_to_case()
    {
        var error = Assert.Single((await Read("text/csv", $"{Header},Doc_Number,doc_number\n2024-01-01,A,VEN,X,F,1,a,b\n")).Errors);
        Assert.Equal((1, "doc_number"), (error.Line, error.Field));
    }

    [Fact]
    public async Task An_undeclared_column_is_refused_with_its_name()
    {
        var error = Assert.Single((await Read("text/csv", $"{Header},OBS_STATUS_X\n2024-01-01,A,VEN,X,F,1,A\n")).Errors);
        Assert.Equal("OBS_STATUS_X", error.Field);
        Assert.Contains("AGR-TEST", error.Reason);
    }

    [Fact]
    public async Task Too_many_columns_are_refused()
    {
        var header = Header + string.Concat(Enumerable.Range(0, 80).Select(i => $",c{i}"));
        Assert.NotEmpty((await Read("text/csv", header + "\n")).Errors);
    }

    [Fact]
    public async Task Rows_beyond_the_limit_are_refused_as_too_large()
    {
        var body = Header + "\n" + string.Concat(Enumerable.Range(0, 4).Select(i => $"2024-01-01,A{i},VEN,X,F,1\n"));
        var refusal = await Assert.ThrowsAsync<SubmissionRefusedException>(() => Read("text/csv", body, limits: new SubmissionLimits { MaximumObservations = 3 }));
        Assert.Equal((413, 5), (refusal.Status, refusal.Error.Line));
    }

    [Fact]
    public async Task A_body_is_refused_as_soon_as_it_passes_the_byte_limit()
    {
        var endless = new SubmissionBody(new TricklingStream(new byte[100_000]), maximumBytes: 1000);
        var refusal = await Assert.ThrowsAsync<SubmissionRefusedException>(async () => await endless.CopyToAsync(Stream.Null));
        Assert.Equal(413, refusal.Status);
        Assert.True(endless.BytesRead <= 1007);
    }

    [Fact]
    public async Task Json_refuses_unknown_properties_and_undeclared_personal_fields_by_name()
    {
        var parsed = await Read("application/json", """
            {"observations":[{"period":"2024-01-01","borderPoint":"A","nationality":"VEN","category":"X","count":1,"colour":"red"},
                             {"period":"2024-01-01","borderPoint":"B","nationality":"VEN","category":"X","count":1,"personal":{"passport_photo":"x","birth_date":"1990-01-01"}}]}
            """);
        Assert.Equal([(1, "colour"), (2, "personal.passport_photo")], parsed.Errors.Select(e => (e.Line, e.Field)));
    }

    [Fact]
    public async Task Sdmx_csv_rows_of_the_regional_dataflow_are_read_with_totals_as_empty_dimensions()
    {
        var parsed = await Read("application/vnd.sdmx.data+csv; version=2.0.0", """
            STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,FREQ,TIME_PERIOD,BORDER_POINT,NATIONALITY,CATEGORY,SEX,AGE,OBS_VALUE,OBS_STATUS,CONF_STATUS
            dataflow,RCM_SACM:DF_MIGRATION_FLOWS(1.0),M,COL,W,2025-W42,COL-CUCUTA,VEN,IRREGULAR_ENTRY,_T,_T,120,A,F
            dataflow,RCM_SACM:DF_MIGRATION_FLOWS(1.0),,COL,D,2025-10-14,COL-CUCUTA,VEN,IRREGULAR_ENTRY,F,_T,7,P,F
            """, country: null);

        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors));
        Assert.Equal(("sdmx-csv", "COL"), (parsed.Format, parsed.ReportingCountry));
        Assert.Equal([(new DateOnly(2025, 10, 13), (string?)null, 120L), (new DateOnly(2025, 10, 13), "F", 7L)],
            parsed.Observations.Select(o => (o.Period, o.Sex, o.Count)));
        Assert.All(parsed.Observations, o => Assert.Null(o.AgeGroup));
    }

    [Fact]
    public async Task Sdmx_csv_refuses_another_dataflow_a_mismatched_frequency_and_mixed_countries()
    {
        var parsed = await Read("text/csv", """
            STRUCTURE,STRUCTURE_ID,REF_AREA,FREQ,TIME_PERIOD,BORDER_POINT,NATIONALITY,CATEGORY,SEX,AGE,OBS_VALUE
            dataflow,ESTAT:MIGR(1.0),COL,W,2025-W42,A,VEN,X,_T,_T,1
            dataflow,RCM_SACM:DF_MIGRATION_FLOWS(1.0),COL,W,2025-10-13,A,VEN,X,_T,_T,1
            dataflow,RCM_SACM:DF_MIGRATION_FLOWS(1.0),PER,W,2025-W42,A,VEN,X,_T,_T,1
            """, country: "COL");

        Assert.Equal([(2, "STRUCTURE_ID"), (3, "TIME_PERIOD"), (4, "REF_AREA")], parsed.Errors.Select(e => (e.Line, e.Field)));
    }

    [Fact]
    public void The_agreements_in_the_repository_are_valid_and_declare_document_numbers_personal()
    {
        var columns = DeclaredColumns.Load(Path.Combine(RepositoryRoot(), "policy", "agreements"));
        Assert.Contains("document_number", columns.For("CHL").Personal);
        Assert.Contains("document_number", columns.For("ZZZ").Personal);
    }

    [Fact]
    public void An_invalid_agreement_stops_loading_naming_its_file_and_field()
    {
        var dir = Directory.CreateTempSubdirectory().FullName;
        File.WriteAllText(Path.Combine(dir, "default.yaml"), "id: D\ncountry: default\nrecordLevel:\n  identifiers: [doc]\n");
        File.WriteAllText(Path.Combine(dir, "CHL.yaml"), "id: C\ncountry: CHL\nrecordLevel:\n  identifiers: [doc, 'bad name']\n");

        var error = Assert.Throws<InvalidOperationException>(() => DeclaredColumns.Load(dir));
        Assert.Contains("CHL.yaml", error.Message);
        Assert.Contains("recordLevel.identifiers[1]", error.Message);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "EarlyWarning.sln"))) return dir.FullName;
        throw new InvalidOperationException("EarlyWarning.sln not found");
    }
}
