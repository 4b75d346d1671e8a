using System.Text;
using EarlyWarning.Contracts;
using EarlyWarning.Ingestion;
using EarlyWarning.Ingestion.Submissions;

namespace EarlyWarning.UnitTests;

/// <summary>
/// The streaming JSON reader: the same answer however the body is cut into reads, the answer of the whole-document
/// reader it replaced (<see cref="JsonDocumentSubmissionReader"/>), and bounded in what it holds.
/// </summary>
public sealed class JsonSubmissionReaderTests
{
    private static ReadContext Context(string? country = null, string? caller = "CHL", SubmissionLimits? limits = null)
    {
        limits ??= new SubmissionLimits();
        return new ReadContext(country, caller, null, limits, RowRules.From(limits, new DateOnly(2026, 11, 24)), SubmissionReaderTests.Agreements);
    }

    /// <summary>Rows as the sink receives them, with the country they are given for.</summary>
    private sealed class RecordingSink : IObservationSink
    {
        public List<string> Rows { get; } = [];
        public int Count => Rows.Count;

        public ValueTask AddAsync(string? country, RawObservation row, CancellationToken ct)
        {
            Rows.Add($"{country}|{row.Line}|{row.Period}|{row.BorderPoint}|{row.Nationality}|{row.Category}|{row.Sex}|{row.AgeGroup}|{row.Count}|"
                + string.Join(";", (row.PersonalFields ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")));
            return ValueTask.CompletedTask;
        }

        public Task<IReadOnlyList<SubmissionError>> DuplicatesAsync(CancellationToken ct) => Task.FromResult<IReadOnlyList<SubmissionError>>([]);
    }

    /// <summary>An answer as text, so that a difference shows where it is.</summary>
    private sealed record Outcome(string? Country, string Errors, string Rows, int ErrorCount)
    {
        public static Outcome Of(ParsedSubmission parsed, RecordingSink sink) =>
            new(parsed.ReportingCountry, string.Join("\n", parsed.Errors.Select(e => $"{e.Line}|{e.Field}|{e.Reason}")), string.Join("\n", sink.Rows),
                parsed.Errors.Count);
    }

    /// <summary>Returns at most <c>first</c> bytes on the first read, then at most <c>rest</c> on each.</summary>
    private sealed class CutStream(byte[] bytes, int first, int rest = int.MaxValue) : MemoryStream(bytes)
    {
        private bool _cut;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            var size = _cut ? rest : first;
            _cut = true;
            return base.ReadAsync(buffer[..Math.Min(buffer.Length, Math.Max(size, 1))], ct);
        }
    }

    private static async Task<Outcome> StreamedAsync(Stream body, ReadContext? context = null, int bufferBytes = JsonTokens.DefaultBufferBytes)
    {
        var sink = new RecordingSink();
        var parsed = await JsonSubmissionReader.ReadAsync(body, context ?? Context(), sink, CancellationToken.None, bufferBytes);
        return Outcome.Of(parsed, sink);
    }

    private static Task<Outcome> StreamedAsync(byte[] body, ReadContext? context = null, int bufferBytes = JsonTokens.DefaultBufferBytes) =>
        StreamedAsync(new MemoryStream(body), context, bufferBytes);

    private static async Task<Outcome> FormerAsync(byte[] body, ReadContext context)
    {
        var sink = new RecordingSink();
        var parsed = await JsonDocumentSubmissionReader.ReadAsync(new MemoryStream(body), context, sink, CancellationToken.None);
        return Outcome.Of(parsed with { Errors = parsed.Errors.Take(ObservationRules.MaximumErrors).Select(e => e with { Reason = CutLiteralQuote(e.Reason) }).ToList() }, sink);
    }

    /// <summary>The former reader quoted the whole rest of the body after a bad literal; the streaming one quotes 200 characters of it.</summary>
    private static string CutLiteralQuote(string reason)
    {
        const string Prefix = "is not valid JSON: '";
        var end = reason.LastIndexOf("' is an invalid JSON literal.", StringComparison.Ordinal);
        return reason.StartsWith(Prefix, StringComparison.Ordinal) && end - Prefix.Length > 200
            ? reason[..(Prefix.Length + 200)] + "…" + reason[end..] : reason;
    }

    private static string Show(byte[] body) => Encoding.UTF8.GetString(body.Length > 400 ? body[..400] : body);

    private static void AssertSameAnswer(Outcome former, Outcome streamed, byte[] body)
    {
        Assert.True(former.Country == streamed.Country, $"country {former.Country} / {streamed.Country}: {Show(body)}");
        Assert.True(former.Errors == streamed.Errors, $"{Show(body)}\nformer:\n{former.Errors}\nstreamed:\n{streamed.Errors}");
        // Rows count only in a submission without errors (the former reader parsed the whole body before reading any, and stopped early).
        if (former.ErrorCount == 0)
            Assert.True(former.Rows == streamed.Rows, $"{Show(body)}\nformer:\n{former.Rows}\nstreamed:\n{streamed.Rows}");
    }

    [Fact]
    public async Task Every_cut_of_a_small_submission_into_two_reads_gives_the_answer_of_one_read()
    {
        foreach (var text in JsonCorpus.Small)
        {
            var body = JsonCorpus.Bytes(text);
            var whole = await StreamedAsync(body);
            for (var cut = 0; cut <= body.Length; cut++)
                Assert.True(whole == await StreamedAsync(new CutStream(body, cut), bufferBytes: 16), $"cut at {cut}: {text}");
            Assert.Equal(whole, await StreamedAsync(new CutStream(body, 1, 1), bufferBytes: 16));
        }
    }

    [Fact]
    public async Task The_streaming_reader_answers_as_the_whole_document_reader_did()
    {
        var compared = 0;
        foreach (var context in new[] { Context(), Context(country: "CHL"), Context(caller: null) })
        foreach (var body in JsonCorpus.Documents())
        {
            Outcome former;
            try
            {
                former = await FormerAsync(body, context);
            }
            catch (InvalidOperationException)
            {
                // The former reader let an escaped lone surrogate escape as an exception (a 500); it is an error now.
                Assert.Contains(JsonText.LoneSurrogate, (await StreamedAsync(body, context)).Errors);
                continue;
            }
            var streamed = await StreamedAsync(new CutStream(body, 7, 5), context, bufferBytes: 16);
            // A country stated after the observations, other than the one they were read for, is refused now (see below).
            if (streamed.Errors.Contains("comes after the observations", StringComparison.Ordinal)) continue;
            AssertSameAnswer(former, streamed, body);
            compared++;
        }
        Assert.True(compared > 9000, $"{compared} compared");
    }

    public static TheoryData<string> LongWhitespace => new()
    {
        // Where Utf8JsonReader keeps whitespace it has read (after a comma, before a colon) and where it does not.
        "{\"observations\":[ROW,§ROW]}", "{\"observations\"§:[ROW]}", "{\"observations\":§[ROW]}", "§{\"observations\":[ROW]}§",
        "{\"observations\":[ROW,§ROW],§\"colour\":1}", "{\"observations\":[{\"period\"§:§\"2024-01-01\",§\"count\":§1}]}",
        // And the syntax errors after it, whose line and position are those of the bytes as sent.
        "{\"observations\":[ROW,§ROW,§x]}", "{\"observations\":[ROW,§ROW§x]}", "{\"observations\":[ROW,§]}", "{\"observations\":[ROW,§",
        "{\"observations\"§:§[ROW,§ROW]§,§\"colour\"§:§tru}", "{\"observations\":[ROW,§\"x\"§\"y\"]}",
    };

    [Theory]
    [MemberData(nameof(LongWhitespace))]
    public async Task Whitespace_of_any_length_is_read_in_a_buffer_of_bounded_size(string shape)
    {
        foreach (var run in new[] { new string(' ', 300_000), string.Concat(Enumerable.Repeat("\r\n\t  ", 60_000)), "\n" + new string(' ', 140_000) + "\n\n" + new string(' ', 150_000) })
        {
            var body = Encoding.UTF8.GetBytes(shape.Replace("§ROW", JsonCorpus.OtherRow).Replace("ROW", JsonCorpus.Row).Replace("§", run));

            AssertSameAnswer(await FormerAsync(body, Context()), await StreamedAsync(new CutStream(body, 1000, 4096), bufferBytes: 16), body);
        }
    }

    [Fact]
    public async Task The_buffer_never_grows_beyond_twice_the_longest_token()
    {
        var body = Encoding.UTF8.GetBytes("{\"observations\":[" + JsonCorpus.Row + "," + new string(' ', 1_000_000) + JsonCorpus.Row.Replace("F", "M") + "]}");
        using var tokens = new JsonTokens(new CutStream(body, 100, 3000), 16, JsonSubmissionReader.MaximumValueBytes, JsonSubmissionReader.MaximumDepth);
        var read = 0;
        while (await tokens.ReadAsync(CancellationToken.None)) read++;

        Assert.Equal(33, read);
        Assert.InRange(tokens.Capacity, 16, 2 * JsonSubmissionReader.MaximumValueBytes);
    }

    [Theory]
    [InlineData("\"category\":\"LONG\"", "category")]
    [InlineData("\"category\":LONGNUMBER", "category")]
    [InlineData("\"colour\":\"LONG\"", "colour")]
    [InlineData("\"LONG\":1", "observation")]
    [InlineData("\"personal\":{\"doc_number\":\"LONG\"}", "personal.doc_number")]
    [InlineData("\"count\":[\"LONG\"]", "count")]
    public async Task A_value_longer_than_the_bound_is_refused_naming_its_field(string property, string field)
    {
        var row = JsonCorpus.Row.Replace("}", "," + property.Replace("LONGNUMBER", new string('9', 100_000)).Replace("LONG", new string('c', 100_000)) + "}");

        var outcome = await StreamedAsync(Encoding.UTF8.GetBytes($"{{\"observations\":[{JsonCorpus.Row},{row}]}}"));

        Assert.Equal($"2|{field}|holds a value longer than 65536 bytes (a field holds at most 200 characters)", outcome.Errors.Split('\n').Last());
    }

    [Fact]
    public async Task A_reporting_country_longer_than_the_bound_is_refused_by_name()
    {
        var outcome = await StreamedAsync(Encoding.UTF8.GetBytes($"{{\"reportingCountry\":\"{new string('C', 70_000)}\",\"observations\":[]}}"));
        Assert.StartsWith("0|reportingCountry|holds a value longer than", outcome.Errors);
    }

    [Fact]
    public async Task Nesting_deeper_than_sixteen_levels_is_invalid_json_naming_where()
    {
        var outcome = await StreamedAsync(Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000)));
        Assert.Equal("1|body|is not valid JSON: The maximum configured depth of 16 has been exceeded. Cannot read next JSON array. LineNumber: 0 | BytePositionInLine: 16.", outcome.Errors);
    }

    [Fact]
    public async Task A_second_observations_array_is_refused_because_the_first_is_already_stored()
    {
        var outcome = await StreamedAsync(Encoding.UTF8.GetBytes($"{{\"observations\":[{JsonCorpus.Row}],\"observations\":[{JsonCorpus.OtherRow}]}}"));
        Assert.Equal("0|observations|appears twice; send every observation in one array", outcome.Errors);
    }

    [Theory]
    [InlineData("CHL", null, "")]
    [InlineData("PER", null, "0|reportingCountry|'PER' comes after the observations, which were read for 'CHL'; state the reporting country once, before them")]
    [InlineData("CHL", "PER", "0|reportingCountry|'CHL' comes after the observations, which were read for 'PER'; state the reporting country once, before them")]
    public async Task A_reporting_country_after_the_observations_must_be_the_one_they_were_read_for(string after, string? before, string error)
    {
        var first = before is null ? "" : $"\"reportingCountry\":\"{before}\",";
        var outcome = await StreamedAsync(Encoding.UTF8.GetBytes($"{{{first}\"observations\":[{JsonCorpus.Row}],\"reportingCountry\":\"{after}\"}}"));

        Assert.Equal((after, error), (outcome.Country, outcome.Errors));
        Assert.StartsWith(before ?? "CHL", outcome.Rows);
    }

    [Fact]
    public async Task An_escaped_lone_surrogate_is_refused_naming_the_observation()
    {
        var outcome = await StreamedAsync(Encoding.UTF8.GetBytes($"{{\"observations\":[{JsonCorpus.Row},{JsonCorpus.Row.Replace("VEN", "V\\ud800N")}]}}"));
        Assert.Equal($"2|observation|{JsonText.LoneSurrogate}", outcome.Errors);
    }

    [Fact]
    public async Task Rows_beyond_the_limit_are_refused_as_too_large_naming_the_first_one_over()
    {
        var rows = Enumerable.Range(0, 4).Select(i => JsonCorpus.Row.Replace("Lajas Blancas", $"A{i}"));
        var refusal = await Assert.ThrowsAsync<SubmissionRefusedException>(() =>
            StreamedAsync(Encoding.UTF8.GetBytes($"{{\"observations\":[{string.Join(',', rows)}]}}"), Context(limits: new SubmissionLimits { MaximumObservations = 3 })));
        Assert.Equal((413, 4, "observations"), (refusal.Status, refusal.Error.Line, refusal.Error.Field));
    }

    /// <summary>Holds back the rest of the body until the sink has its first row: a reader that waits for the whole body waits forever.</summary>
    private sealed class HeldBackStream(byte[] first, byte[] rest, Task released) : Stream
    {
        private int _turn;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            var part = _turn++ switch { 0 => first, 1 => rest, _ => [] };
            if (part == rest) await released.WaitAsync(TimeSpan.FromSeconds(10), ct);
            part.CopyTo(buffer);
            return part.Length;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class SignallingSink : IObservationSink
    {
        public TaskCompletionSource FirstRow { get; } = new();
        public int Count { get; private set; }

        public ValueTask AddAsync(string? country, RawObservation row, CancellationToken ct)
        {
            Count++;
            FirstRow.TrySetResult();
            return ValueTask.CompletedTask;
        }

        public Task<IReadOnlyList<SubmissionError>> DuplicatesAsync(CancellationToken ct) => Task.FromResult<IReadOnlyList<SubmissionError>>([]);
    }

    [Fact]
    public async Task An_observation_reaches_the_sink_before_the_rest_of_the_body_has_arrived()
    {
        var sink = new SignallingSink();
        var body = new HeldBackStream(Encoding.UTF8.GetBytes($"{{\"observations\":[{JsonCorpus.Row},"), Encoding.UTF8.GetBytes($"{JsonCorpus.OtherRow}]}}"), sink.FirstRow.Task);

        var parsed = await JsonSubmissionReader.ReadAsync(body, Context(), sink, CancellationToken.None);

        Assert.Empty(parsed.Errors);
        Assert.Equal(2, sink.Count);
    }
}
