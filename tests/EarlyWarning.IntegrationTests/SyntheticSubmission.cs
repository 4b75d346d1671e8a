using System.Globalization;
using System.Text;

namespace EarlyWarning.IntegrationTests;

/// <summary>Builds CSV submissions for a border point of the test's own, so tests never see each other's series.</summary>
internal static class SyntheticSubmission
{
    public static readonly DateOnly FirstWeek = new(2024, 1, 1);

    /// <summary>A border point of the test's own, listed in the test gazetteer (see <see cref="TestPolicy"/>).</summary>
    public static string NewBorderPoint() => TestPolicy.NewBorderPoint();

    /// <summary>
    /// Weekly rows of Venezuelan irregular entries (as Chile writes them) at one border point, split by sex,
    /// steady around 40 per sex and week, with the counts of <paramref name="surges"/> (week index → count per sex) instead.
    /// Adds a Haitian refusal cell of 2 per week, which the agreement must suppress.
    /// </summary>
    /// <param name="start">Monday of week 0 (<see cref="FirstWeek"/> unless stated); periods beyond next week are refused by Ingestion.</param>
    public static string Csv(string borderPoint, int weeks, IReadOnlyDictionary<int, int>? surges = null, int firstWeek = 0, DateOnly? start = null)
    {
        var text = new StringBuilder("period,border_point,nationality,category,sex,count,document_number\n");
        for (var w = firstWeek; w < firstWeek + weeks; w++)
        {
            var period = (start ?? FirstWeek).AddDays(7 * w).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            foreach (var sex in new[] { "F", "M" })
            {
                var count = surges is not null && surges.TryGetValue(w, out var surge) ? surge : 40 + (w * 7 + (sex == "F" ? 3 : 0)) % 9 - 4;
                text.Append(CultureInfo.InvariantCulture, $"{period},{borderPoint},venezolana,Ingreso por paso no habilitado,{sex},{count},P{w}{sex}\n");
            }
            text.Append(CultureInfo.InvariantCulture, $"{period},{borderPoint},haitiana,Reconducción,F,2,\n");
        }
        return text.ToString();
    }

    public static HttpContent Content(string csv) => new StringContent(csv, Encoding.UTF8, "text/csv");
}
