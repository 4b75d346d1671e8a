using System.Globalization;
using System.Text;

namespace EarlyWarning.IntegrationTests;

/// <summary>One request of the hostile corpus.</summary>
internal sealed record HostileInput(string Name, string ContentType, byte[] Body, string Query);

/// <summary>
/// Generates (deterministically, from a seed) a corpus of malformed and hostile submissions: truncations,
/// wrong or lying encodings, broken quoting, control and invisible characters, non-ASCII digits, injection
/// strings, oversized fields and bodies, bad headers, bad JSON, bad SDMX-CSV, bad query parameters. Many are
/// refused; those that are valid (hostile but legal text, like a '|' in a border point) must be carried all
/// the way. Each input uses border points of its own, so its rows can be followed downstream.
/// </summary>
internal static class HostileInputs
{
    private const string Header = "period,border_point,nationality,category,sex,age_group,count";

    /// <summary>Text a field may legally hold that has broken parsers, keys, formats or queries before.</summary>
    public static readonly string[] LegalButHostile =
    [
        "A|B", "|", "||", "a\\|b", "\\", "'; DROP TABLE observations; --", "\" OR 1=1 --", "<script>alert(1)</script>",
        "{0}", "%s%s%n", "${jndi:ldap://127.0.0.1/a}", "../../etc/passwd", "NaN", "null", "undefined", "_T", "UNMAPPED",
        "XXX", "CHL-", "-", "--", "a b  c", " leading", "trailing ", "ÑANDÚ", "Ærø", "İstanbul", "ß", "ﬁ", "Ω", "مرحبا",
        "שלום", "日本語", "🇻🇪", "👨‍👩‍👧", "e\u0301", "Z\u0351\u0352\u0353", "ـ", "\u00A0nbsp", "%00", "&amp;", "=1+1", "@SUM(A1)",
        "+cmd|' /C calc'!A0", "a,b", "a;b", "\"quoted\"", "'single'", "`tick`", "[]", "{}", "<>", "::", "..", new string('x', 200),
        new string('é', 200), new string('日', 200), string.Concat(Enumerable.Repeat("🇻🇪", 50)),
    ];

    /// <summary>Characters no field may hold.</summary>
    public static readonly string[] Forbidden =
    [
        .. Enumerable.Range(0, 32).Where(c => c is not ('\n' or '\r')).Select(c => ((char)c).ToString()),
        "\u007F", "\u0080", "\u0085", "\u009F", "\u200B", "\u200C", "\u200D", "\u200E", "\u200F", "\u202A", "\u202E", "\u2066",
        "\u2028", "\u2029", "\uFEFF", "\uFFFD", "\uE000", "\uF8FF", "\u0378", "\uFFFE", "\uD800", "\uDC00",
    ];

    public static readonly string[] BadPeriods =
    [
        "9999-12-27", "9999-W52", "0001-01-01", "1899-12-25", "1999-12-01", "2024-W00", "2024-W54", "2023-W53", "2024-02-30",
        "2024-13-01", "24-01-01", "2024/01/01", "01/02/2024", "2024-1-1", "2024-01-01T00:00", "2024-W1", "2024W01", "2024-w01",
        "２０２４-01-01", "٢٠٢٤-01-01", "२०२४-W01", "2024-０1-01", "", " ", "now", "-2024-01-01", "+2024-01-01", "2024-01-01 ",
        "2099-01-05", "2100-W01", "1e3", "0x7E8-01-01", "2024-01-01\u0000",
    ];

    public static readonly string[] BadCounts =
    [
        "-1", "-0", "1.5", "1,5", "1e3", "0x10", "+5", " 5 5", "5 5", "9223372036854775807", "9223372036854775808",
        "99999999999999999999999999", "1000000001", "１２", "١٢", "१२", "Infinity", "NaN", "", "one", "5\u0000", "٥", "0b101",
    ];

    public static List<HostileInput> Generate(DateOnly today, long bodyLimit, int seed = 7)
    {
        var random = new Random(seed);
        var inputs = new List<HostileInput>();
        var n = 0;
        string Point() => $"H{seed}-{n++:D5}";
        var period = today.AddDays(-7 * 30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        string Row(string? p = null, string? point = null, string nat = "venezolana", string cat = "Ingreso regular", string sex = "F", string age = "", string count = "12") =>
            string.Join(',', Quote(p ?? period), Quote(point ?? Point()), Quote(nat), Quote(cat), Quote(sex), Quote(age), Quote(count));
        void Csv(string name, string body, string query = "country=CHL", string type = "text/csv") =>
            inputs.Add(new(name, type, Encoding.UTF8.GetBytes(body), query));
        void Json(string name, string body, string query = "country=CHL") =>
            inputs.Add(new(name, "application/json", Encoding.UTF8.GetBytes(body), query));
        string JsonRow(string? p = null, string? point = null, string nat = "venezolana", string cat = "Ingreso regular", string count = "12", string extra = "") =>
            $"{{\"period\":{JsonText(p ?? period)},\"borderPoint\":{JsonText(point ?? Point())},\"nationality\":{JsonText(nat)},\"category\":{JsonText(cat)},\"sex\":\"M\",\"count\":{count}{extra}}}";

        // Legal but hostile text in every free-text field, in CSV and JSON: all accepted, all carried.
        foreach (var text in LegalButHostile)
        {
            Csv("hostile border point (csv)", $"{Header}\n{Row(point: Point() + text)}\n");
            Csv("hostile nationality (csv)", $"{Header}\n{Row(nat: text)}\n");
            Csv("hostile category (csv)", $"{Header}\n{Row(cat: text)}\n");
            Csv("hostile age group (csv)", $"{Header}\n{Row(age: text)}\n");
            Json("hostile border point (json)", $"{{\"observations\":[{JsonRow(point: Point() + text)}]}}");
            Json("hostile category (json)", $"{{\"observations\":[{JsonRow(cat: text)}]}}");
        }
        // Forbidden characters in each field.
        foreach (var c in Forbidden)
        {
            Csv("forbidden char in border point", $"{Header}\n{Row(point: Point() + c + "x")}\n");
            Csv("forbidden char in nationality", $"{Header}\n{Row(nat: "ven" + c)}\n");
            Csv("forbidden char in category", $"{Header}\n{Row(cat: c + "Ingreso")}\n");
            Csv("forbidden char in age group", $"{Header}\n{Row(age: "18" + c + "59")}\n");
            Json("forbidden char (json)", $"{{\"observations\":[{JsonRow(point: Point() + c)}]}}");
            Csv("forbidden char in header", $"period,border_point,nationality,category,count,doc{c}\n{period},{Point()},VEN,X,1,a\n");
        }
        foreach (var p in BadPeriods)
        {
            Csv("bad period (csv)", $"{Header}\n{Row(p: p)}\n");
            Json("bad period (json)", $"{{\"observations\":[{JsonRow(p: p)}]}}");
        }
        foreach (var count in BadCounts)
        {
            Csv("bad count (csv)", $"{Header}\n{Row(count: count)}\n");
            Json("bad count (json, as string)", $"{{\"observations\":[{JsonRow(count: JsonText(count))}]}}");
        }
        foreach (var count in new[] { "-1", "1.5", "1e3", "9223372036854775808", "1000000001", "true", "[]", "{}", "null" })
            Json("bad count (json, raw)", $"{{\"observations\":[{JsonRow(count: count)}]}}");
        // Limits at their edges: the largest count, the earliest and latest periods, the longest field: accepted.
        Csv("largest count", $"{Header}\n{Row(count: "1000000000")}\n{Row(count: "1000000000", point: null)}\n");
        Csv("earliest period", $"{Header}\n{Row(p: "2000-01-03")}\n");
        Csv("next week", $"{Header}\n{Row(p: today.AddDays(7).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))}\n");
        foreach (var length in new[] { 201, 1000, 4000, 100_000, 2_000_000 })
        {
            Csv($"oversized border point {length}", $"{Header}\n{Row(point: new string('b', length))}\n");
            Csv($"oversized age group {length}", $"{Header}\n{Row(age: new string('9', length))}\n");
            Json($"oversized category {length} (json)", $"{{\"observations\":[{JsonRow(cat: new string('c', length))}]}}");
        }
        // Oversized bodies (the limit is low in the tests).
        var bigRow = $"{Row()}\n";
        var big = new StringBuilder(Header + "\n");
        while (big.Length <= bodyLimit) big.Append(bigRow);
        Csv("body over the limit", big.ToString());
        Json("json body over the limit", "{\"observations\":[" + string.Join(',', Enumerable.Repeat(JsonRow(), (int)(bodyLimit / 100))) + "]}");

        // Quoting.
        foreach (var body in new[]
                 {
                     $"{Header}\n\"{period}\",\"{Point()}\",\"VEN\",\"X\",\"F\",\"\",\"1\"\n",
                     $"{Header}\n{period},\"{Point()} \"\"q\"\"\",VEN,X,F,,1\n",
                     $"{Header}\n{period},\"{Point()}\",VEN,X,F,,1",
                     $"{Header}\n{period},\"{Point()}\nsecond line\",VEN,X,F,,1\n",
                     $"{Header}\n{period},\"unclosed,VEN,X,F,,1\n",
                     $"{Header}\n{period},\"closed\"trailing,VEN,X,F,,1\n",
                     $"{Header}\n{period},mid\"quote,VEN,X,F,,1\n",
                     $"{Header}\n{period},\"\"\"\",VEN,X,F,,1\n",
                     $"{Header}\n{period},\"\",VEN,X,F,,1\n",
                     $"{Header}\n\"",
                     "\"",
                     "\"\"\"",
                     $"{Header}\n{period},{Point()},VEN,X,F,,1,extra\n",
                     $"{Header}\n{period},{Point()},VEN,X,F\n",
                     $"{Header}\r\n{period},{Point()},VEN,Ingreso regular,F,,1\r\n",
                     $"{Header}\r{period},{Point()},VEN,X,F,,1\r",
                     $"{Header}\n\n\n{period},{Point()},VEN,Ingreso regular,F,,1\n\n",
                 })
            Csv("quoting", body);

        // Headers.
        foreach (var header in new[]
                 {
                     "", "\n", ",,,,", "period", "period,border_point,nationality,category", "period,border_point,nationality,category,count,count",
                     "period,border_point,nationality,category,count,Count", "period,border_point,nationality,category,count,doc_number,DOC_NUMBER",
                     "period,border_point,nationality,category,count,obs_status", "period,border_point,nationality,category,count,photo",
                     "period,border_point,nationality,category,count,", "PERIOD,BORDER_POINT,NATIONALITY,CATEGORY,COUNT",
                     " period , border_point , nationality , category , count ", string.Join(',', Enumerable.Range(0, 100).Select(i => $"c{i}")),
                     "period,border_point,nationality,category,count," + new string('h', 300),
                 })
            Csv("header", $"{header}\n{period},{Point()},VEN,Ingreso regular,1\n");
        Csv("declared personal columns", $"period,border_point,nationality,category,count,document_number,birth_date\n{period},{Point()},VEN,Ingreso regular,7,V1,1990-01-01\n");
        Csv("semicolons", $"period;border_point;nationality;category;count\n{period};{Point()};VEN;Ingreso regular;7\n");
        Csv("stated comma over semicolons", $"period;border_point;nationality;category;count\n{period};{Point()};VEN;X;7\n", "country=CHL&separator=,");
        Csv("duplicate cell", $"{Header}\n{Row(point: "DUP" + seed)}\n{Row(point: "dup" + seed)}\n");

        // Encodings.
        var valid = $"{Header}\n{Row(cat: "Reconducción")}\n";
        inputs.Add(new("utf-16 LE with BOM", "text/csv", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(valid)], "country=CHL"));
        inputs.Add(new("utf-16 BE", "text/csv", Encoding.BigEndianUnicode.GetBytes(valid), "country=CHL"));
        inputs.Add(new("latin-1 undeclared", "text/csv", Encoding.Latin1.GetBytes(valid), "country=CHL"));
        inputs.Add(new("latin-1 declared", "text/csv; charset=iso-8859-1", Encoding.Latin1.GetBytes($"{Header}\n{Row(cat: "Reconducción")}\n"), "country=CHL"));
        inputs.Add(new("utf-8 declared as latin-1", "text/csv; charset=iso-8859-1", Encoding.UTF8.GetBytes($"{Header}\n{Row(cat: "Reconducción")}\n"), "country=CHL"));
        inputs.Add(new("us-ascii declared, utf-8 sent", "text/csv; charset=us-ascii", Encoding.UTF8.GetBytes(valid), "country=CHL"));
        inputs.Add(new("json latin-1 declared", "application/json; charset=iso-8859-1", Encoding.Latin1.GetBytes("{\"observations\":[]}"), "country=CHL"));
        foreach (var bad in new byte[][]
                 {
                     [0xFF], [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80],
                     [0x80], [0xBF], [0xC2], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0xFE, 0xFF], [0xC3, 0x28], [0xA0, 0xA1],
                 })
        {
            var prefix = Encoding.UTF8.GetBytes($"{Header}\n{period},{Point()}");
            var suffix = Encoding.UTF8.GetBytes(",VEN,X,F,,1\n");
            inputs.Add(new("invalid utf-8", "text/csv", [.. prefix, .. bad, .. suffix], "country=CHL"));
            inputs.Add(new("invalid utf-8 at the end", "text/csv", [.. prefix, .. suffix, .. bad], "country=CHL"));
            inputs.Add(new("invalid utf-8 in json", "application/json", [.. Encoding.UTF8.GetBytes("{\"observations\":[{\"period\":\"" + period + "\",\"borderPoint\":\""), .. bad, .. Encoding.UTF8.GetBytes("\"}]}")], "country=CHL"));
        }
        for (var i = 0; i < 150; i++)
        {
            var bytes = new byte[random.Next(0, 400)];
            random.NextBytes(bytes);
            inputs.Add(new("random bytes", i % 2 == 0 ? "text/csv" : "application/json", bytes, "country=CHL"));
        }

        // JSON shapes.
        foreach (var body in new[]
                 {
                     "", "null", "[]", "{}", "\"x\"", "1", "{\"observations\":null}", "{\"observations\":{}}", "{\"observations\":[null]}",
                     "{\"observations\":[1,2]}", "{\"observations\":[[]]}", "{\"observations\":[{}]}", "{\"reportingCountry\":5,\"observations\":[]}",
                     $"{{\"reportingCountry\":\"chile\",\"observations\":[{JsonRow()}]}}", $"{{\"observations\":[{JsonRow()}],\"extra\":1}}",
                     $"{{\"observations\":[{JsonRow(extra: ",\"colour\":\"red\"")}]}}", $"{{\"observations\":[{JsonRow(extra: ",\"personal\":5")}]}}",
                     $"{{\"observations\":[{JsonRow(extra: ",\"personal\":{\"photo\":\"x\"}")}]}}",
                     $"{{\"observations\":[{JsonRow(extra: ",\"personal\":{\"document_number\":\"V1\"}")}]}}",
                     $"{{\"observations\":[{JsonRow(extra: ",\"personal\":{\"document_number\":\"V1\",\"DOCUMENT_NUMBER\":\"V2\"}")}]}}",
                     $"{{\"observations\":[{JsonRow(extra: ",\"sex\":\"X\"")}]}}", $"{{\"observations\":[{JsonRow(extra: ",\"sex\":7")}]}}",
                     new string('[', 5000) + new string(']', 5000), "{\"observations\":[" + new string('{', 100),
                     "{\"observations\":[{\"period\":\"" + period + "\"}]}", "{'observations':[]}", "{\"observations\":[],}",
                     "\uFEFF{\"observations\":[" + JsonRow() + "]}", "{\"observations\":[" + JsonRow() + "]} trailing",
                     "{\"observations\":[" + JsonRow(nat: "\\u0000") + "]}", "{\"observations\":[" + JsonRow(nat: "\\ud800") + "]}",
                     "{\"observations\":[" + JsonRow(count: "12.0") + "]}", "{\"observations\":[" + JsonRow(count: "1E2") + "]}",
                 })
            Json("json shape", body);

        // SDMX-CSV.
        const string sdmxHeader = "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,FREQ,TIME_PERIOD,BORDER_POINT,NATIONALITY,CATEGORY,SEX,AGE,OBS_VALUE,OBS_STATUS,CONF_STATUS";
        var week = ISOWeek.GetYear(today.AddDays(-70).ToDateTime(TimeOnly.MinValue)) + "-W" + ISOWeek.GetWeekOfYear(today.AddDays(-70).ToDateTime(TimeOnly.MinValue)).ToString("D2", CultureInfo.InvariantCulture);
        string Sdmx(string structure = "dataflow", string id = "RCM_SACM:DF_MIGRATION_FLOWS(1.0)", string action = "M", string area = "CHL", string freq = "W",
            string? time = null, string? point = null, string sex = "_T", string age = "_T", string value = "9", string status = "A", string conf = "F") =>
            string.Join(',', structure, id, action, area, freq, time ?? week, Quote(point ?? Point()), "VEN", "Ingreso por paso no habilitado", sex, age, value, status, conf);
        foreach (var row in new[]
                 {
                     Sdmx(), Sdmx(action: ""), Sdmx(action: "I"), Sdmx(action: "R"), Sdmx(action: "D"), Sdmx(action: "X"), Sdmx(structure: "datastructure"),
                     Sdmx(id: "ESTAT:MIGR(1.0)"), Sdmx(id: ""), Sdmx(area: "CO"), Sdmx(area: "chl"), Sdmx(area: "COL"), Sdmx(freq: "M"), Sdmx(freq: "D"),
                     Sdmx(time: "2025-10"), Sdmx(freq: "D", time: today.AddDays(-3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                     Sdmx(sex: "X"), Sdmx(sex: "F"), Sdmx(age: "Y18-59"), Sdmx(value: "NaN"), Sdmx(value: ""), Sdmx(value: "-3"), Sdmx(value: "1.5"),
                     Sdmx(status: "Z"), Sdmx(status: "P"), Sdmx(conf: "X"), Sdmx(conf: "C"), Sdmx(point: "A|B"),
                 })
            Csv("sdmx row", $"{sdmxHeader}\n{row}\n", "", "application/vnd.sdmx.data+csv; version=2.0.0");
        Csv("sdmx mixed countries", $"{sdmxHeader}\n{Sdmx()}\n{Sdmx(area: "PER")}\n", "");
        Csv("sdmx country differs from query", $"{sdmxHeader}\n{Sdmx()}\n", "country=PER");
        Csv("sdmx declared, plain csv sent", $"{Header}\n{Row()}\n", "", "application/vnd.sdmx.data+csv");
        Csv("sdmx unknown column", $"{sdmxHeader},UNIT_MULT\n{Sdmx()},0\n", "");
        Csv("sdmx missing dimension", "STRUCTURE,STRUCTURE_ID,REF_AREA,FREQ,TIME_PERIOD,NATIONALITY,CATEGORY,SEX,AGE,OBS_VALUE\ndataflow,RCM_SACM:DF_MIGRATION_FLOWS(1.0),COL,W,2025-W01,VEN,X,_T,_T,1\n", "");

        // Content types and query parameters.
        foreach (var type in new[] { "", "text/plain", "application/xml", "multipart/form-data; boundary=x", "text/csv; charset=", "text/csv; charset=utf-16",
                     "text/csv; charset=\"utf-8\"", "TEXT/CSV", "text/csv;;", "*/*", "text/*", "application/json; charset=utf-8", "application/x-www-form-urlencoded" })
            inputs.Add(new($"content type '{type}'", type, Encoding.UTF8.GetBytes($"{Header}\n{Row()}\n"), "country=CHL"));
        foreach (var query in new[] { "", "country=", "country=Chile", "country=C%00L", "country=chl", "country=CHL&batchSize=0", "country=CHL&batchSize=-1",
                     "country=CHL&batchSize=99999999999", "country=CHL&batchSize=1", "country=CHL&separator=tab", "country=CHL&separator=%3B",
                     "country=CHL&country=PER", "country=%F0%9F%87%BB%F0%9F%87%AA" })
            Csv($"query '{query}'", $"{Header}\n{Row()}\n", query);

        // Truncations of valid bodies at every kind of position (some land on a line end and are valid).
        var multi = $"{Header}\n{Row(cat: "Reconducción", point: "Trunc Ñ " + seed)}\n{Row(point: "Trunc \"q\" " + seed, cat: "a,b")}\n{Row(nat: "日本", point: "Trunc 3 " + seed)}\n";
        var multiBytes = Encoding.UTF8.GetBytes(multi.Replace("Trunc \"q\"", "Trunc \"\"q\"\""));
        var jsonBytes = Encoding.UTF8.GetBytes($"{{\"observations\":[{JsonRow(point: "JTrunc Ñ " + seed)},{JsonRow(point: "JTrunc 2 " + seed)}]}}");
        for (var i = 0; i < 300; i++)
        {
            var cut = random.Next(0, multiBytes.Length);
            inputs.Add(new("truncated csv", "text/csv", multiBytes[..cut], "country=CHL"));
            cut = random.Next(0, jsonBytes.Length);
            inputs.Add(new("truncated json", "application/json", jsonBytes[..cut], "country=CHL"));
        }
        // Random mutations of a valid body: one byte replaced, inserted or deleted.
        for (var i = 0; i < 600; i++)
        {
            var bytes = Encoding.UTF8.GetBytes($"{Header}\n{Row(cat: "Reconducción")}\n{Row()}\n").ToList();
            var at = random.Next(0, bytes.Count);
            var b = (byte)random.Next(0, 256);
            switch (i % 3)
            {
                case 0: bytes[at] = b; break;
                case 1: bytes.Insert(at, b); break;
                default: bytes.RemoveAt(at); break;
            }
            inputs.Add(new("mutated csv", "text/csv", [.. bytes], "country=CHL"));
        }
        return inputs;
    }

    private static string Quote(string field) =>
        field.Contains(',') || field.Contains('"') || field.Contains('\n') || field.Contains('\r') || field.StartsWith(' ') || field.EndsWith(' ')
            ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;

    private static string JsonText(string text) => System.Text.Json.JsonSerializer.Serialize(text);
}
