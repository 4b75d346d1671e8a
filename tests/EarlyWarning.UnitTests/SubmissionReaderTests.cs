using System.Text;
using EarlyWarning.Ingestion;
using EarlyWarning.Ingestion.Agreements;
using EarlyWarning.Ingestion.Submissions;

namespace EarlyWarning.UnitTests;

public sealed class SubmissionReaderTests
{
    internal static readonly DeclaredColumns Agreements = new(new Dictionary<string, AgreementColumns>(),
        new AgreementColumns("AGR-TEST", new HashSet<string>(["document_number", "birth_date", "doc_number"], StringComparer.OrdinalIgnoreCase)));

    internal static ReadContext Context(string? country, SubmissionLimits? limits = null, char? delimiter = null)
    {
        limits ??= new SubmissionLimits();
        return new ReadContext(country, null, delimiter, limits, RowRules.From(limits, new DateOnly(2026, 11, 24)), Agreements);
    }

    private static async Task<ParsedSubmission?> Read(string contentType, string body, string? country = "CHL")
    {
        try
        {
            return await SubmissionReader.ReadAsync(contentType, new MemoryStream(Encoding.UTF8.GetBytes(body)), Context(country), CancellationToken.None);
        }
        catch (SubmissionRefusedException ex) when (ex.Status == 415)
        {
            return null;
        }
    }

    [Theory]
    [InlineData("2024-01-03", "2024-01-01")]  // a Wednesday belongs to the week starting Monday 1 January
    [InlineData("2024-01-07", "2024-01-01")]  // Sunday closes that ISO week
    [InlineData("2024-W02", "2024-01-08")]
    [InlineData("2020-W53", "2020-12-28")]
    public void Periods_are_read_as_the_monday_of_their_iso_week(string text, string monday)
    {
        Assert.True(ObservationRules.TryParsePeriod(text, out var period));
        Assert.Equal(DateOnly.Parse(monday), period);
    }

    [Theory]
    [InlineData("2024-02-30")]
    [InlineData("2023-W53")]
    [InlineData("01/02/2024")]
    public void Impossible_periods_are_refused(string text) => Assert.False(ObservationRules.TryParsePeriod(text, out _));

    [Fact]
    public async Task A_csv_keeps_the_columns_the_agreement_declares_personal_for_anonymization_to_remove()
    {
        var parsed = await Read("text/csv", "period,border_point,nationality,category,sex,count,document_number,birth_date\n2024-01-01,Colchane,venezolana,Ingreso regular,f,12,V123,1990-01-01\n");

        var row = Assert.Single(parsed!.Observations);
        Assert.True(parsed.IsValid);
        Assert.Equal("F", row.Sex);
        Assert.Equal(2, row.Line);
        Assert.Equal(new Dictionary<string, string> { ["document_number"] = "V123", ["birth_date"] = "1990-01-01" }, row.PersonalFields);
    }

    [Fact]
    public async Task Every_bad_field_is_reported_with_its_line()
    {
        var parsed = await Read("text/csv", "period,border_point,nationality,category,count\n2024-01-01,A,VEN,X,1.5\n2024-01-08,,VEN,X,3\n2024-01-15,A,VEN\n");

        Assert.Equal([(2, "count"), (3, "border_point"), (4, "row")], parsed!.Errors.Select(e => (e.Line, e.Field)));
    }

    [Fact]
    public async Task A_missing_required_column_is_reported_on_the_header_line()
    {
        var parsed = await Read("text/csv", "period,border_point,category,count\n");
        var error = Assert.Single(parsed!.Errors);
        Assert.Equal((1, "nationality"), (error.Line, error.Field));
    }

    [Fact]
    public async Task Two_rows_for_the_same_cell_are_refused_naming_the_first()
    {
        var parsed = await Read("text/csv", "period,border_point,nationality,category,count\n2024-01-01,A,VEN,X,1\n2024-01-03,a,ven,X,2\n");
        var error = Assert.Single(parsed!.Errors);
        Assert.Equal(3, error.Line);
        Assert.Contains("line 2", error.Reason);
    }

    [Fact]
    public async Task Json_errors_name_the_position_of_the_observation_and_the_country_may_come_from_the_body()
    {
        var parsed = await Read("application/json", """
            {"reportingCountry":"PAN","observations":[
              {"period":"2024-01-01","borderPoint":"Lajas Blancas","nationality":"VEN","category":"Transito","count":120},
              {"period":"2024-01-08","borderPoint":"Lajas Blancas","nationality":"VEN","category":"Transito","count":-1}]}
            """, country: null);

        Assert.Equal("PAN", parsed!.ReportingCountry);
        var error = Assert.Single(parsed.Errors);
        Assert.Equal((2, "count"), (error.Line, error.Field));
    }

    [Fact]
    public async Task A_submission_without_a_valid_reporting_country_is_refused()
    {
        var parsed = await Read("text/csv", "period,border_point,nationality,category,count\n2024-01-01,A,VEN,X,1\n", country: "Chile");
        Assert.Equal("reportingCountry", Assert.Single(parsed!.Errors).Field);
    }

    [Fact]
    public async Task An_unsupported_media_type_is_not_read() => Assert.Null(await Read("application/xml", "<x/>"));
}
