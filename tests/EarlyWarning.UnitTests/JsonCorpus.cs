using System.Text;

namespace EarlyWarning.UnitTests;

/// <summary>
/// JSON submissions of every shape the readers must agree on: valid and invalid rows, every kind of value in every
/// place, repeated and unknown properties, personal objects, bytes that are not UTF-8, syntax errors, and (from a
/// seed) truncations and one-byte mutations of valid bodies.
/// </summary>
internal static class JsonCorpus
{
    public const string Row = """{"period":"2024-01-01","borderPoint":"Lajas Blancas","nationality":"VEN","category":"Transito","sex":"F","count":120}""";
    public const string OtherRow = """{"period":"2024-01-08","borderPoint":"Lajas Blancas","nationality":"haitiano","category":"Transito","ageGroup":"18-59","count":7,"personal":{"document_number":"V1","Birth_Date":"1990-01-01"}}""";

    /// <summary>Stands for a byte that is not UTF-8 (0xFF) in the documents below.</summary>
    private const char NotUtf8 = '\u0001';

    private static string Observations(params string[] rows) => $$"""{"observations":[{{string.Join(',', rows)}}]}""";

    private static string With(string extra) => Row.Replace("}", "," + extra + "}");

    public static readonly string[] Small =
    [
        $$"""{"reportingCountry":"PAN","observations":[{{Row}},{{OtherRow}}]}""",
        Observations(Row, OtherRow),
        $"\uFEFF{Observations(Row)}",
        $$"""{"observations":[{{Row}},{{Row.Replace("120", "-1")}}],"colour":1}""",
        $$"""{"observations":[{{With("\"colour\":\"red\",\"personal\":{\"photo\":1}")}}]}""",
        $$"""{"period":1,"observations":[{{With("\"personal\":{\"document_number\":\"V1\",\"DOCUMENT_NUMBER\":\"V2\"}")}}]}""",
        $$"""{"observations":[1,null,[],{},"x",{{Row}}]}""",
        "{\"observations\":[{\"period\":\"2024-01-01\"",
        "{\"observations\":[] trailing",
        "{\"observations\":[{\"\\u0070eriod\":\"2024-01-01\",\"borderPoint\":\"A\\u00e9\\n\",\"nationality\":\"\\ud83c\\uddfb\",\"category\":\"X\",\"count\":1}]}",
        "[]",
        "",
    ];

    public static IEnumerable<byte[]> Documents()
    {
        var texts = new List<string>(Small)
        {
            // The country: before or after the observations (a repeated one: the last counts), not a string, not a code.
            $$"""{"reportingCountry":"PAN","reportingCountry":"PER","observations":[{{Row}}]}""",
            $$"""{"observations":[{{Row}}],"reportingCountry":"CHL"}""",
            $$"""{"reportingCountry":5,"observations":[{{Row}}]}""",
            $$"""{"reportingCountry":null,"observations":[{{Row}}],"reportingCountry":["CHL"]}""",
            $$"""{"reportingCountry":"chile","observations":[{{Row}}]}""",
            // The document's own properties.
            "{}", "{\"observations\":null}", "{\"observations\":{}}", "{\"observations\":\"x\"}", "{\"observations\":null,\"colour\":[1,{\"a\":2}]}",
            $$"""{"colour":1,"observations":[{{Row}}],"size":{"a":[1,2]},"observations2":3}""",
            $$"""{"observations":null,"observations":[{{Row}}]}""",
            "null", "1", "\"x\"", "true", "[{}]", " \t\r\n {\"observations\":[]} \r\n\t ",
            // Values of every kind in every field: a later property of the same name replaces an earlier one.
            Observations(Row.Replace("120", "\"12\""), Row.Replace("120", "12.0"), Row.Replace("120", "1E2"), Row.Replace("120", "true"), Row.Replace("120", "null")),
            Observations(Row.Replace("120", "{}"), Row.Replace("120", "[1, 2]"), Row.Replace("120", "99999999999999999999999"), Row.Replace("120", "-0")),
            Observations(Row.Replace("\"F\"", "7"), Row.Replace("\"F\"", "\"x\""), Row.Replace("\"F\"", "\"_T\""), Row.Replace("\"F\"", "null"), Row.Replace("\"F\"", "\" m \"")),
            Observations(Row.Replace("\"Lajas Blancas\"", "{\"a\": [1, {\"b\" : null}] }"), Row.Replace("\"Lajas Blancas\"", "[ ]"), Row.Replace("\"Lajas Blancas\"", "false")),
            Observations(Row.Replace("\"2024-01-01\"", "\"2024-W02\""), Row.Replace("\"2024-01-01\"", "\"9999-12-27\""), Row.Replace("\"2024-01-01\"", "20240101")),
            Observations(With("\"period\":\"bad\""), Row.Replace("{", "{\"period\":\"bad\",")),
            Observations(With("\"ageGroup\":\"" + new string('9', 300) + "\""), With("\"category\":\"" + new string('c', 4000) + "\"")),
            Observations(With("\"borderPoint\":\"A\\u0000B\""), With("\"borderPoint\":\"A\\u200bB\""), With("\"nationality\":\"\\uFFFD\"")),
            Observations(Row.Replace(",\"count\":120", ""), "{\"period\":\"2024-01-01\"}", "{\"count\":1}"),
            // Personal objects: declared and not, repeated, not objects, values of every kind; the last personal counts.
            Observations(With("\"personal\":{\"document_number\":5,\"birth_date\":null}"), With("\"personal\":{\"document_number\":{\"a\":[1, true]}}")),
            Observations(With("\"personal\":5"), With("\"personal\":[]"), With("\"personal\":\"x\""), With("\"personal\":null"), With("\"personal\":{}")),
            Observations(With("\"personal\":{\"photo\":1},\"personal\":{\"doc_number\":\"X\"}"), With("\"personal\":{\"doc_number\":\"X\"},\"personal\":5")),
            Observations(With("\"personal\":{\"doc_number\":\"" + new string('x', 201) + "\",\"photo\":[1]}")),
            Observations(With("\"colour\":1,\"personal\":{\"photo\":1},\"size\":2")),
            // Syntax: each is the only error, wherever it is.
            "{\"observations\":[],}", "{'observations':[]}", "{\"observations\" []}", "{\"observations\":[" + Row + "]", "{\"observations\":[" + Row + "]}}",
            "{\"observations\":[" + Row + ",]}", "{\"observations\":[" + Row.Replace("120", "012") + "]}", "{\"observations\":[" + Row.Replace("120", "1.") + "]}",
            "{\"observations\":[] /* comment */}", "{\"observations\":[]}{}", "{\"observations\":[\"a\tb\"]}", "{\"observations\":[\"\\x\"]}",
            "{\"observations\":[" + Row + "],\n\"colour\":\n tru}", "\uFEFF", "\uFEFF\uFEFF{}", "   ", "{\"observations\":[" + Row.Replace("\"F\"", "\"\\u12G4\"") + "]}",
            // Depth: 16 levels are read, 17 are not.
            Observations(With("\"colour\":" + new string('[', 13) + new string(']', 13))), Observations(With("\"colour\":" + new string('[', 14) + new string(']', 14))),
            Observations(With("\"personal\":{\"doc_number\":" + new string('[', 12) + new string(']', 12) + "}")),
            // Enough errors: reading stops at the limit, even within one observation.
            Observations(Row.Replace("{", "{" + string.Concat(Enumerable.Range(0, 150).Select(i => $"\"x{i}\":{i},")))),
            Observations([.. Enumerable.Range(0, 120).Select(i => Row.Replace("120", "-" + i))]),
            $$"""{{{string.Concat(Enumerable.Range(0, 60).Select(i => $"\"x{i}\":{i},"))}}"observations":[{{string.Join(',', Enumerable.Range(0, 60).Select(i => Row.Replace("120", "-" + i)))}}]}""",
            // Bytes that are not UTF-8, wherever they are (some places are never decoded, and those bytes are never noticed).
            Observations(Row.Replace("Lajas", $"La{NotUtf8}jas")), Observations(Row.Replace("\"sex\"", $"\"s{NotUtf8}ex\"")),
            Observations(With($"\"colour\":\"{NotUtf8}\"")), Observations(With($"\"colour\":\"{NotUtf8}\",\"period\":\"bad\"")),
            Observations(With($"\"personal\":{{\"doc_number\":\"{NotUtf8}\"}}")), Observations(With($"\"personal\":{{\"d{NotUtf8}\":1,\"photo\":1}}")),
            Observations(With($"\"personal\":{{\"photo\":\"{NotUtf8}\"}}")), Observations(With($"\"colour\":1,\"personal\":{{\"doc_number\":[\"{NotUtf8}\"]}}")),
            Observations(Row.Replace("\"Lajas Blancas\"", $"[\"{NotUtf8}\"]")), Observations(Row, With("\"period\":\"bad\""), Row.Replace("VEN", $"V{NotUtf8}N"), Row.Replace("120", "-5")),
            $$"""{"reportingCountry":"C{{NotUtf8}}L","observations":[{{Row}}]}""", $$"""{"reportingCountry":"C{{NotUtf8}}L","reportingCountry":"CHL","observations":[{{Row}}]}""",
            $$"""{"colour":1,"c{{NotUtf8}}":2,"size":3,"observations":[{{Row}}]}""", $$"""{"observations":[{{Row}}],"c{{NotUtf8}}":2}""", $$"""{"colour":"{{NotUtf8}}","observations":[]}""",
        };
        foreach (var text in texts) yield return Bytes(text);

        // Truncations of a valid body at every byte, and one-byte mutations of valid bodies.
        var seed = Bytes($$"""{"reportingCountry":"CHL","observations":[{{Row}},{{OtherRow}}]}""");
        for (var cut = 0; cut < seed.Length; cut++) yield return seed[..cut];
        var random = new Random(20261124);
        var alphabet = Encoding.UTF8.GetBytes("{}[]\":,\\ \n\t01-9eE.tfnu\u00e9").Concat(new byte[] { 0xFF, 0xC3, 0xED, 0xA0 }).ToArray();
        var seeds = new[] { seed, Bytes(Small[0]), Bytes(Small[4]), Bytes(Small[5]) };
        for (var i = 0; i < 3000; i++)
        {
            var bytes = seeds[i % seeds.Length].ToList();
            var at = random.Next(bytes.Count);
            var b = random.Next(3) == 0 ? (byte)random.Next(256) : alphabet[random.Next(alphabet.Length)];
            switch (random.Next(3))
            {
                case 0: bytes[at] = b; break;
                case 1: bytes.Insert(at, b); break;
                default: bytes.RemoveAt(at); break;
            }
            yield return [.. bytes];
        }
    }

    public static byte[] Bytes(string text) =>
        Encoding.UTF8.GetBytes(text).Select(b => b == (byte)NotUtf8 ? (byte)0xFF : b).ToArray();
}
