using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text;

namespace EarlyWarning.IntegrationTests;

/// <summary>A cell the authority marked "do not publish" in SDMX-CSV (CONF_STATUS C or N) never leaves the country with its count.</summary>
[Collection(SystemCollection.Name)]
public sealed class PublisherConfidentialityTests(SystemFixture system)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_cell_marked_confidential_is_suppressed_whatever_its_count_and_its_complement_with_it_while_the_total_is_released()
    {
        var point = SyntheticSubmission.NewBorderPoint();
        var pointCode = "CHL-TEST-" + point["Test ".Length..];
        var csv = new StringBuilder("STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,FREQ,TIME_PERIOD,BORDER_POINT,NATIONALITY,CATEGORY,SEX,AGE,OBS_VALUE,OBS_STATUS,CONF_STATUS\n");
        for (var w = 0; w < 3; w++)
        {
            var monday = SyntheticSubmission.FirstWeek.AddDays(7 * w).ToDateTime(TimeOnly.MinValue);
            var period = $"{ISOWeek.GetYear(monday)}-W{ISOWeek.GetWeekOfYear(monday):D2}";
            csv.Append(CultureInfo.InvariantCulture, $"dataflow,RCM_SACM:DF_MIGRATION_FLOWS(1.0),I,CHL,W,{period},{point},venezolana,Ingreso por paso no habilitado,F,_T,40,A,{(w == 1 ? "N" : "C")}\n");
            csv.Append(CultureInfo.InvariantCulture, $"dataflow,RCM_SACM:DF_MIGRATION_FLOWS(1.0),I,CHL,W,{period},{point},venezolana,Ingreso por paso no habilitado,M,_T,60,A,F\n");
        }
        var content = new StringContent(csv.ToString(), Encoding.UTF8, "application/vnd.sdmx.data+csv");
        var response = await system.IngestionApi.PostAsync("/api/submissions", content);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());

        const string cells = "SELECT count(*) FROM classification.harmonized_observations WHERE border_point = @point";
        var released = await system.WaitForCountAsync(cells, 9, Patience, ("point", pointCode));
        Assert.Equal(9, released); // per week: the total, F and M
        Assert.Equal(3, await system.ScalarAsync($"{cells} AND sex = '_T' AND count = 100", ("point", pointCode)));
        // 40 is well above k, but the authority said not to publish it; 100 − 60 would give it away, so M goes too.
        Assert.Equal(6, await system.ScalarAsync($"{cells} AND sex IN ('F', 'M') AND count IS NULL", ("point", pointCode)));
        // The audit counts them with the primary suppressions (the agreement's own: none here, every count is at least k).
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("submissionId").GetGuid();
        Assert.Equal(3, await system.ScalarAsync("SELECT primary_suppressed::bigint FROM anonymization.submission_audit WHERE submission_id = @id", ("id", id)));
    }
}
