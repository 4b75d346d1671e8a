using System.Collections.Frozen;

namespace EarlyWarning.Classification.Policy;

/// <summary>
/// Every written form of a nationality the policy knows, normalized: ISO alpha-3 and alpha-2 codes, ISO names in
/// English, Spanish, Portuguese and French, extra names, and demonyms with their feminine and plural forms.
/// </summary>
internal static class NationalityIndex
{
    public static (FrozenDictionary<string, string> Forms, FrozenDictionary<int, string> M49) Build(
        CodeListFile areaFile, CodeList areas, string namesFile, NationalityNamesFile names)
    {
        var forms = new Dictionary<string, string>();
        var ambiguous = new HashSet<string>();
        var explicitForms = new HashSet<string>();
        var m49 = new Dictionary<int, string>();
        const string areaPath = "codelists/CL_AREA.yaml";

        for (var i = 0; i < areaFile.Codes!.Count; i++)
        {
            var code = areaFile.Codes[i];
            var id = code.Id!;
            Add(forms, areaPath, $"codes[{i}].id", id, id);
            if (code.Alpha2 is { } alpha2) Add(forms, areaPath, $"codes[{i}].alpha2", alpha2, id);
            if (code.M49 is { } numeric && !m49.TryAdd(numeric, id)) throw new PolicyException(areaPath, $"codes[{i}].m49", $"{numeric} is already {m49[numeric]}");
            foreach (var (language, list) in code.Names ?? [])
            foreach (var name in list)
                // ISO short names can coincide across languages for different countries; such a form is left out
                // (a national file writing it is held for review) rather than guessed.
                AddIsoName(forms, ambiguous, name, id);
        }

        foreach (var (id, list) in names.Names ?? [])
        {
            if (!areas.Codes.ContainsKey(id)) throw new PolicyException(namesFile, $"names.{id}", $"'{id}' is not a code of CL_AREA");
            foreach (var name in list)
            {
                Add(forms, namesFile, $"names.{id}", name, id);
                explicitForms.Add(NationalText.Normalize(name));
            }
        }
        foreach (var (id, languages) in names.Demonyms ?? [])
        {
            if (!areas.Codes.ContainsKey(id)) throw new PolicyException(namesFile, $"demonyms.{id}", $"'{id}' is not a code of CL_AREA");
            foreach (var (language, list) in languages)
            foreach (var demonym in list)
            foreach (var form in Inflect(language, NationalText.Normalize(demonym)) ?? throw new PolicyException(namesFile, $"demonyms.{id}.{language}", $"'{language}' is not one of es, pt, en, fr"))
            {
                Add(forms, namesFile, $"demonyms.{id}.{language}", form, id);
                explicitForms.Add(form);
            }
        }
        foreach (var form in ambiguous.Except(explicitForms)) forms.Remove(form);
        return (forms.ToFrozenDictionary(), m49.ToFrozenDictionary());
    }

    /// <summary>The masculine singular demonym and its feminine and plural forms (accents already removed).</summary>
    public static IReadOnlyList<string>? Inflect(string language, string masculine)
    {
        // Compound demonyms ("sri lankan", "costa rican") inflect on their last word.
        var space = masculine.LastIndexOf(' ');
        var head = space < 0 ? "" : masculine[..(space + 1)];
        var word = masculine[(space + 1)..];
        IEnumerable<string>? forms = language switch
        {
            "es" => word switch
            {
                _ when word.EndsWith('o') => [word, word[..^1] + "a", word + "s", word[..^1] + "as"],
                _ when word.EndsWith("es", StringComparison.Ordinal) => [word, word + "a", word + "es", word + "as"],
                _ when word.EndsWith("an", StringComparison.Ordinal) => [word, word + "a", word + "es", word + "as"],
                _ when word.EndsWith('i') || word.EndsWith('u') => [word, word + "es", word + "s"],
                _ when word.EndsWith('a') || word.EndsWith('e') => [word, word + "s"],
                _ => [word, word + "a", word + "es", word + "as"],
            },
            "pt" => word switch
            {
                _ when word.EndsWith("ao", StringComparison.Ordinal) => [word, word[..^2] + "a", word[..^2] + "aos", word[..^2] + "as"],
                _ when word.EndsWith('o') => [word, word[..^1] + "a", word + "s", word[..^1] + "as"],
                _ when word.EndsWith("es", StringComparison.Ordinal) => [word, word + "a", word + "es", word + "as"],
                _ when word.EndsWith('l') => [word, word + "a", word[..^1] + "is", word + "as"],
                _ when word.EndsWith('a') || word.EndsWith('e') || word.EndsWith('i') => [word, word + "s"],
                _ => [word, word + "a", word + "s", word + "as"],
            },
            "fr" => word switch
            {
                _ when word.EndsWith("ien", StringComparison.Ordinal) || word.EndsWith("een", StringComparison.Ordinal) => [word, word + "ne", word + "s", word + "nes"],
                _ when word.EndsWith('s') => [word, word + "e", word + "es"],
                _ when word.EndsWith('e') => [word, word + "s"],
                _ => [word, word + "e", word + "s", word + "es"],
            },
            "en" => word.EndsWith("ese", StringComparison.Ordinal) || word.EndsWith('s') || word.EndsWith("ish", StringComparison.Ordinal) || word.EndsWith("ch", StringComparison.Ordinal)
                ? [word]
                : [word, word + "s"],
            _ => null,
        };
        return forms?.Select(f => head + f).Distinct().ToList();
    }

    private static void Add(Dictionary<string, string> forms, string file, string field, string written, string id)
    {
        var form = NationalText.Normalize(written);
        if (form.Length == 0) throw new PolicyException(file, field, "empty name");
        if (forms.TryGetValue(form, out var other) && other != id)
            throw new PolicyException(file, field, $"'{written}' would mean both {other} and {id}");
        forms[form] = id;
    }

    private static void AddIsoName(Dictionary<string, string> forms, HashSet<string> ambiguous, string written, string id)
    {
        var form = NationalText.Normalize(written);
        if (forms.TryGetValue(form, out var other) && other != id) ambiguous.Add(form);
        else forms[form] = id;
    }
}
