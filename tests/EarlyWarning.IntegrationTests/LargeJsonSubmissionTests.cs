using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace EarlyWarning.IntegrationTests;

/// <summary>A JSON body near Ingestion's default limit is read as a stream: the service's memory does not grow with it.</summary>
[Collection(SystemCollection.Name)]
public sealed class LargeJsonSubmissionTests(SystemFixture system, ITestOutputHelper output)
{
    private const long BodyBytes = 200_000_000;
    private const long MaximumResidentBytes = 300L * 1024 * 1024;
    private static readonly string[] Nationalities = ["venezolana", "haitiana", "colombiana", "peruana", "boliviana"];
    private static readonly string[] Categories = ["Ingreso regular", "Ingreso por paso no habilitado", "Reconducción", "Solicitud de refugio"];

    /// <summary>
    /// Rows of one border point (every combination of nationality, category and sex, week after week), each after a
    /// run of whitespace that the reader must read through without keeping: most of it after the comma, some around
    /// the colon of count (where Utf8JsonReader hands back what it read, see SqueezedWhitespace), and once 10 MB.
    /// Written as it is sent, so that the test holds no more of it than Ingestion may.
    /// </summary>
    private sealed class PaddedJsonContent : HttpContent
    {
        private static readonly byte[] Megabyte = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(new string(' ', 99) + "\n", 10_000)));
        private readonly string _borderPoint;
        private readonly int _rows;
        private readonly byte[] _padding;

        public PaddedJsonContent(string borderPoint, int weeks)
        {
            _borderPoint = borderPoint;
            _rows = weeks * Nationalities.Length * Categories.Length * 2;
            var (name, value) = Row(0);
            var perRow = (int)((BodyBytes - 10 * Megabyte.Length) / _rows) - name.Length - value.Length - 2;
            _padding = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("\r\n\t" + new string(' ', 61), perRow / 64 + 1))[..perRow]);
            Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        public int Rows => _rows;
        public long BytesWritten { get; private set; }

        /// <summary>Row <paramref name="i"/>, as its bytes before and after the colon of its count.</summary>
        private (byte[] Name, byte[] Value) Row(int i)
        {
            var (week, cell) = Math.DivRem(i, Nationalities.Length * Categories.Length * 2);
            var period = new DateOnly(2000, 1, 3).AddDays(7 * week).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var nationality = Nationalities[cell / (Categories.Length * 2)];
            var category = Categories[cell / 2 % Categories.Length];
            var sex = cell % 2 == 0 ? "F" : "M";
            return (Encoding.UTF8.GetBytes($"{{\"period\":\"{period}\",\"borderPoint\":\"{_borderPoint}\",\"nationality\":\"{nationality}\",\"category\":\"{category}\",\"sex\":\"{sex}\",\"count\""),
                Encoding.UTF8.GetBytes($"{40 + i * 7 % 9}}}"));
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            async Task Write(ReadOnlyMemory<byte> bytes)
            {
                await stream.WriteAsync(bytes);
                BytesWritten += bytes.Length;
            }
            var afterComma = _padding.AsMemory(0, _padding.Length * 3 / 4);
            var aroundColon = _padding.AsMemory(0, _padding.Length / 8);
            await Write("{\"reportingCountry\":\"CHL\",\"observations\":["u8.ToArray());
            for (var i = 0; i < _rows; i++)
            {
                if (i > 0) await Write(","u8.ToArray());
                await Write(afterComma);
                if (i == _rows / 2)
                    for (var mb = 0; mb < 10; mb++) await Write(Megabyte);
                var (name, value) = Row(i);
                await Write(name);
                await Write(aroundColon);
                await Write(":"u8.ToArray());
                await Write(aroundColon);
                await Write(value);
            }
            await Write("]}"u8.ToArray());
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    [Fact]
    public async Task A_200_MB_json_submission_is_accepted_while_ingestion_stays_under_300_MB_of_resident_memory()
    {
        // An Ingestion of its own, with the default body limit (256 MiB; the shared one refuses 4 MiB and more).
        await using var ingestion = new ServiceProcess("Ingestion", TestEnvironment.ServicePortBase + 100);
        foreach (var (key, value) in system.Ingestion.Environment.Where(e => e.Key != "Ingestion__Limits__MaximumBodyBytes"))
            ingestion.Environment[key] = value;
        await ingestion.StartAsync();
        using var api = system.Client(ingestion, await system.IssueKeyAsync("publisher", "--country", "CHL"));
        var body = new PaddedJsonContent(SyntheticSubmission.NewBorderPoint(), weeks: 250);
        var idle = ingestion.PeakResidentBytes();

        var clock = Stopwatch.StartNew();
        var response = await api.PostAsync("/api/submissions", body);
        var elapsed = clock.Elapsed;

        var peak = ingestion.PeakResidentBytes();
        output.WriteLine($"{body.Rows} rows in {body.BytesWritten:N0} bytes: {(int)response.StatusCode} after {elapsed.TotalSeconds:F1} s; "
            + $"Ingestion peak resident memory {peak / (1024 * 1024)} MiB ({idle / (1024 * 1024)} MiB before the request)");
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.InRange(body.BytesWritten, 199_000_000, 201_000_000);
        Assert.Equal(body.Rows, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("observations").GetInt32());
        Assert.True(peak < MaximumResidentBytes, $"Ingestion's peak resident memory was {peak / (1024 * 1024)} MiB");
    }
}
