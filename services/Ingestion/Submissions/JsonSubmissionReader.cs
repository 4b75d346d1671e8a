using System.Text.Json;

namespace EarlyWarning.Ingestion.Submissions;

/// <summary>
/// Reads a JSON submission: { "reportingCountry": "CHL", "observations": [ { "period", "borderPoint",
/// "nationality", "category", "sex", "ageGroup", "count", "personal": { ... } } ] }. Errors name the
/// 1-based position of the observation in the array as their line. Unknown properties are refused by name,
/// and so are personal fields the publishing country's agreement does not declare.
/// </summary>
/// <remarks>
/// The body streams through <see cref="JsonTokens"/> and each observation goes to the sink when its object closes,
/// so memory does not grow with the submission. The answer is the one reading the whole document first gave: a
/// syntax error anywhere is the only error; the last of a repeated property counts; the errors of the document's own
/// properties come first. What a stream cannot take back is refused instead: a second observations array, a
/// reportingCountry after the observations naming another country than they were read for, and a value longer than
/// <see cref="MaximumValueBytes"/>. At most <see cref="ObservationRules.MaximumErrors"/> errors are kept.
/// </remarks>
internal sealed partial class JsonSubmissionReader
{
    /// <summary>
    /// The longest token (string, number, property name) or nested value read, in bytes. The longest field that can be
    /// valid (500 characters, each escaped as \uXXXX) is some 3,000 bytes: a longer value could only be refused anyway.
    /// </summary>
    public const int MaximumValueBytes = 64 * 1024;
    public const int MaximumDepth = 16;
    private static readonly string[] Properties = ["period", "borderPoint", "nationality", "category", "sex", "ageGroup", "count", "personal"];
    private const int Personal = 7;

    private readonly JsonTokens _json;
    private readonly ReadContext _context;
    private readonly IObservationSink _rows;
    private readonly CancellationToken _ct;
    private readonly List<SubmissionError> _documentErrors = [];
    private readonly List<SubmissionError> _errors = [];
    /// <summary>A property name of the document that is not text: the document's errors end there (nothing after it is read).</summary>
    private SubmissionError? _unreadable;
    private StatedCountry? _stated;
    private bool _observationsRead;
    private bool _observationsAreArray;
    private string? _readFor;
    private bool _stopped;
    private int _line;
    private string _field = "body";

    private JsonSubmissionReader(JsonTokens json, ReadContext context, IObservationSink rows, CancellationToken ct) =>
        (_json, _context, _rows, _ct) = (json, context, rows, ct);

    /// <param name="bufferBytes">The read buffer's first size (tests cut every token with a few bytes).</param>
    public static async Task<ParsedSubmission> ReadAsync(
        Stream body, ReadContext context, IObservationSink rows, CancellationToken ct, int bufferBytes = JsonTokens.DefaultBufferBytes)
    {
        using var json = new JsonTokens(body, bufferBytes, MaximumValueBytes, MaximumDepth);
        var reader = new JsonSubmissionReader(json, context, rows, ct);
        try
        {
            return await reader.ReadDocumentAsync();
        }
        catch (JsonException ex)
        {
            return new ParsedSubmission("json", context.Country, [], [new((int)(ex.LineNumber ?? 0) + 1, "body", $"is not valid JSON: {ex.Message}")]);
        }
        catch (JsonValueTooLongException)
        {
            return reader.Answer(new SubmissionError(reader._line, reader._field,
                $"holds a value longer than {MaximumValueBytes} bytes (a field holds at most {context.Limits.MaximumFieldLength} characters)"));
        }
    }

    private async Task<ParsedSubmission> ReadDocumentAsync()
    {
        if (await NextAsync() != JsonTokenType.StartObject)
        {
            await SkipAsync();
            await EndAsync();
            return new ParsedSubmission("json", _context.Country, [], [new(0, "body", "must be a JSON object")]);
        }
        while (await NextAsync() == JsonTokenType.PropertyName)
            await ReadDocumentPropertyAsync();
        await EndAsync();
        return Answer();
    }

    private async Task ReadDocumentPropertyAsync()
    {
        var named = _json.TryGetString(out var name, out var problem);
        if (named) _field = ObservationRules.Shorten(name);
        await NextAsync();
        if (!named)
        {
            _unreadable ??= new SubmissionError(0, "body", problem!);
            await SkipAsync();
        }
        else if (name == "reportingCountry")
        {
            _stated = _json.TokenType != JsonTokenType.String ? new StatedCountry(null, null)
                : _json.TryGetString(out var country, out var countryProblem) ? new StatedCountry(country, null) : new StatedCountry(null, countryProblem);
            await SkipAsync();
        }
        else if (name == "observations")
        {
            if (_observationsRead)
                AddDocumentError(new(0, "observations", "appears twice; send every observation in one array"));
            _observationsAreArray = _json.TokenType == JsonTokenType.StartArray;
            if (_observationsAreArray && !_observationsRead)
            {
                _observationsRead = true;
                await ReadObservationsAsync();
            }
            else await SkipAsync();
        }
        else
        {
            if (_unreadable is null)
                AddDocumentError(new(0, ObservationRules.Shorten(name), "is not a property of a submission (reportingCountry, observations)"));
            await SkipAsync();
        }
        (_line, _field) = (0, "body");
    }

    private async Task ReadObservationsAsync()
    {
        // The rows are checked and stored for the country known now; Answer refuses a later reportingCountry naming another.
        _readFor = _context.Country ?? _stated?.Text ?? _context.CallerCountry;
        var agreement = _context.Agreements.For(_readFor);
        while (true)
        {
            (_line, _field) = (_line + 1, "observation");
            if (await NextAsync() == JsonTokenType.EndArray) break;
            if (Stopped) await SkipAsync();
            else if (_json.TokenType != JsonTokenType.StartObject)
            {
                AddError(new(_line, "observation", "must be a JSON object"));
                await SkipAsync();
            }
            else if (await ReadObservationAsync(agreement) is { } row)
            {
                if (_rows.Count >= _context.Limits.MaximumObservations)
                    throw new SubmissionRefusedException(StatusCodes.Status413PayloadTooLarge, "Submission too large",
                        new(_line, "observations", $"more than {_context.Limits.MaximumObservations} rows (Ingestion:Limits:MaximumObservations); split the file"));
                await _rows.AddAsync(_readFor, row, _ct);
            }
        }
    }

    /// <summary>Reading observations stopped: enough errors, or text that cannot be decoded (the former reader threw there).</summary>
    private bool Stopped => _stopped || _unreadable is not null || _documentErrors.Count + _errors.Count >= ObservationRules.MaximumErrors;

    private ParsedSubmission Answer(SubmissionError? last = null)
    {
        var country = _context.Country;
        if (country is null && _stated is { Problem: { } problem } && last is null)
            return new ParsedSubmission("json", null, [], [new(0, "body", problem)]);
        country ??= _stated?.Text ?? _context.CallerCountry;
        var errors = new List<SubmissionError>(_documentErrors);
        if (_unreadable is not null) errors.Add(_unreadable);
        else if (last is null && !_observationsAreArray) errors.Add(new(0, "observations", "must be an array"));
        else
        {
            errors.AddRange(_errors);
            if (_observationsRead && last is null && country != _readFor)
                errors.Add(new(0, "reportingCountry", $"'{ObservationRules.Shorten(country ?? "")}' comes after the observations, which were read for '{_readFor}'; state the reporting country once, before them"));
        }
        if (last is not null) errors.Add(last);
        return new ParsedSubmission("json", country, [], errors.Take(ObservationRules.MaximumErrors).ToList());
    }

    private async ValueTask<JsonTokenType> NextAsync()
    {
        // The reader throws rather than end inside a value; were it ever to, a loop waiting for an end token would spin.
        if (!await _json.ReadAsync(_ct)) throw new JsonException("The JSON document ended inside a value.", null, 0, 0);
        return _json.TokenType;
    }

    /// <summary>Reads past the current value (at once for a scalar, to its end for an object or array).</summary>
    private async ValueTask SkipAsync()
    {
        if (_json.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray)) return;
        var depth = _json.Depth;
        while (await NextAsync() is not (JsonTokenType.EndObject or JsonTokenType.EndArray) || _json.Depth != depth) { }
    }

    /// <summary>Only whitespace may follow the document; the reader throws for anything else.</summary>
    private async ValueTask EndAsync()
    {
        (_line, _field) = (0, "body");
        while (await _json.ReadAsync(_ct)) { }
    }

    /// <summary>Errors beyond the limit are dropped as they are found, so that a hostile file cannot grow the list.</summary>
    private void AddError(SubmissionError error)
    {
        if (_documentErrors.Count + _errors.Count < ObservationRules.MaximumErrors) _errors.Add(error);
    }

    private void AddDocumentError(SubmissionError error)
    {
        if (_documentErrors.Count < ObservationRules.MaximumErrors) _documentErrors.Add(error);
    }

    /// <summary>The last reportingCountry of the document: its text when it is a string that decodes, or why it does not.</summary>
    private sealed record StatedCountry(string? Text, string? Problem);
}
