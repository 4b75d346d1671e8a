using System.Text.Json;
using EarlyWarning.Contracts;
using EarlyWarning.Ingestion.Agreements;

namespace EarlyWarning.Ingestion.Submissions;

/// <summary>
/// One observation, checked in the order the whole-document reader checked it: its property names (unknown ones
/// refused), then its last personal object, then, only if neither was wrong, its fields. What it only learns at
/// the closing brace (a later property of the same name replaces an earlier one) waits until then.
/// </summary>
internal sealed partial class JsonSubmissionReader
{
    private readonly FieldText[] _texts = new FieldText[Personal];
    private readonly List<SubmissionError> _rowErrors = [];

    /// <summary>Reads the observation whose object starts at the current token; its row, or null when it is refused.</summary>
    private async Task<RawObservation?> ReadObservationAsync(AgreementColumns agreement)
    {
        Array.Clear(_texts);
        PersonalFields? personal = null;
        var refused = false;
        var depth = _json.Depth;
        while (await NextAsync() == JsonTokenType.PropertyName)
        {
            if (!_json.TryGetString(out var name, out var problem))
            {
                AddError(new(_line, "observation", problem!));
                _stopped = true;
                while (await NextAsync() != JsonTokenType.EndObject || _json.Depth != depth) { }
                return null;
            }
            _field = ObservationRules.Shorten(name);
            await NextAsync();
            var index = Array.IndexOf(Properties, name);
            if (index < 0)
            {
                AddError(new(_line, _field, $"is not a property of an observation ({string.Join(", ", Properties)})"));
                refused = true;
                await SkipAsync();
            }
            else if (index == Personal) personal = await ReadPersonalAsync(agreement);
            else _texts[index] = await ReadTextAsync(personal: false);
            _field = "observation";
        }

        if (personal is { IsObject: false })
        {
            AddError(new(_line, "personal", "must be an object of record-level fields"));
            refused = true;
        }
        else if (personal is not null)
        {
            foreach (var error in personal.Errors) AddError(error);
            refused |= personal.Errors.Count > 0;
            if (personal.Problem is { } problem) return Undecodable(problem);
        }
        if (refused) return null;
        foreach (var text in _texts)
            if (text.Problem is { } problem) return Undecodable(problem);

        _rowErrors.Clear();
        var row = ObservationRules.Build(_line, _context.Rules, _texts[0].Text, _texts[1].Text, _texts[2].Text, _texts[3].Text,
            _texts[4].Text, _texts[5].Text, _texts[6].Text, personal?.Fields, _rowErrors);
        foreach (var error in _rowErrors) AddError(error);
        return row;
    }

    /// <summary>Text that cannot be decoded ends the reading of observations, as the exception it raised ended the former reader's.</summary>
    private RawObservation? Undecodable(string problem)
    {
        AddError(new(_line, "observation", problem));
        _stopped = true;
        return null;
    }

    /// <summary>A field's text as JsonElement gave it: a string's value, null for null, anything else as written.</summary>
    private async Task<FieldText> ReadTextAsync(bool personal)
    {
        switch (_json.TokenType)
        {
            case JsonTokenType.String:
                return _json.TryGetString(out var text, out var problem) ? new(text, null) : new(null, problem);
            case JsonTokenType.Null when !personal:
                return default;
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                _json.BeginCapture();
                await SkipAsync();
                return _json.EndCapture() is { } raw ? new(raw, null) : new(null, JsonText.NotUtf8);
            default:
                return new(_json.RawText(), null);
        }
    }

    private async Task<PersonalFields?> ReadPersonalAsync(AgreementColumns agreement)
    {
        if (_json.TokenType == JsonTokenType.Null) return null;
        if (_json.TokenType != JsonTokenType.StartObject)
        {
            await SkipAsync();
            return PersonalFields.NotAnObject;
        }
        var read = new PersonalFields();
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (true)
        {
            _field = "personal";
            if (await NextAsync() != JsonTokenType.PropertyName) break;
            var named = _json.TryGetString(out var name, out var problem);
            if (named) _field = $"personal.{ObservationRules.Shorten(name)}";
            await NextAsync();
            if (read.Problem is not null || !named)
            {
                read.Problem ??= problem;
                await SkipAsync();
            }
            else if (!agreement.Personal.Contains(name))
            {
                read.Add(new(_line, _field, $"is not declared as a record-level personal field by agreement {agreement.AgreementId}"));
                await SkipAsync();
            }
            else
            {
                var value = await ReadTextAsync(personal: true);
                if (value.Problem is not null) read.Problem = value.Problem;
                else if (!fields.TryAdd(name, value.Text!))
                    read.Add(new(_line, $"personal.{name}", "appears twice (names are compared without regard to case)"));
            }
        }
        read.Fields = fields.Count == 0 ? null : fields.ToDictionary(f => f.Key.ToLowerInvariant(), f => f.Value);
        return read;
    }

    private readonly record struct FieldText(string? Text, string? Problem);

    /// <summary>What an observation's personal object held: its fields, the errors found in it, and text that could not be decoded.</summary>
    private sealed class PersonalFields
    {
        public static readonly PersonalFields NotAnObject = new() { IsObject = false };

        public bool IsObject { get; private init; } = true;
        public List<SubmissionError> Errors { get; } = [];
        public string? Problem { get; set; }
        public Dictionary<string, string>? Fields { get; set; }

        public void Add(SubmissionError error)
        {
            if (Errors.Count < ObservationRules.MaximumErrors) Errors.Add(error);
        }
    }
}
