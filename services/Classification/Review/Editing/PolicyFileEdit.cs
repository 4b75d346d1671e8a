using System.Globalization;
using YamlDotNet.Core;
using static EarlyWarning.Classification.Review.Editing.YamlEdits;
using static EarlyWarning.Classification.Review.Editing.YamlLines;
using static EarlyWarning.Classification.Review.Editing.YamlScalars;

namespace EarlyWarning.Classification.Review.Editing;

/// <summary>
/// A steward's decision written into a policy file as the smallest edit a reviewer can read: the term, a
/// <c># accepted …</c> line above it and a higher <c>version</c>. Every other byte (comments, order, quoting, line ends) is kept.
/// </summary>
internal static partial class PolicyFileEdit
{
    // A rule with any of these applies to some cells only; a writing accepted for every cell goes elsewhere.
    private static readonly string[] Conditions = ["validFrom", "validTo", "when", "direction", "vulnerability"];

    // The order of a mapping table's sections in the repository's files: a new one goes before the first that follows it.
    private static readonly string[] Sections = ["sexes", "ages", "keepHeld", "rules"];

    /// <summary>Maps <paramref name="national"/> to the migrant category <paramref name="regional"/> in policy/mappings/&lt;ISO3&gt;.yaml.</summary>
    public static string AddCategoryWriting(string text, string regional, string national, int? ruleIndex, string note)
    {
        Code("regional", regional);
        Term("national", national);
        OneLine("note", note, required: false);
        var root = YamlSpans.Parse(text);
        var rules = SequenceAt(root, "rules") ?? throw new PolicyEditException("rules", "missing");
        if (ruleIndex is { } i)
        {
            if (i < 0 || i >= rules.Items.Count) throw new PolicyEditException($"rules[{i}]", $"no such rule: the file has {rules.Items.Count}");
            var rule = MappingOf(rules.Items[i]);
            var code = rule.ScalarOf("regional");
            if (code != regional) throw new PolicyEditException($"rules[{i}].regional", $"is '{code}', not '{regional}'");
            return Finish(AppendTerm(text, SequenceAt(rule, "national") ?? throw new PolicyEditException($"rules[{i}].national", "missing"), national), note);
        }
        var unconditional = rules.Items.OfType<MappingSpan>().FirstOrDefault(r =>
            r.ScalarOf("regional") == regional && r["national"] is SequenceSpan && !Conditions.Any(c => r[c] is not null));
        return Finish(unconditional is not null
            ? AppendTerm(text, SequenceAt(unconditional, "national")!, national)
            : AppendItem(text, rules, ["regional: " + Scalar(regional), $"national: [{Scalar(national)}]"]), note);
    }

    /// <summary>Maps <paramref name="national"/> to a code of CL_SEX (<c>sexes</c>) or CL_AGE (<c>ages</c>).</summary>
    public static string AddCodeWriting(string text, string section, string regional, string national, string note)
    {
        if (section is not ("sexes" or "ages")) throw new PolicyEditException("section", $"'{section}' is neither sexes nor ages");
        Code("regional", regional);
        Term("national", national);
        OneLine("note", note, required: false);
        var root = YamlSpans.Parse(text);
        string[] item = ["regional: " + Scalar(regional), $"national: [{Scalar(national)}]"];
        if (SequenceAt(root, section) is not { } list) return Finish(AddSection(text, root, section, item), note);
        var entries = list.Items.Select(MappingOf).ToList();
        // One writing means one code of the list: the loader refuses it under a second one.
        Unlisted(entries.Select(e => SequenceAt(e, "national")).OfType<SequenceSpan>(), national);
        var entry = entries.FirstOrDefault(e => e.ScalarOf("regional") == regional);
        return Finish(entry is null
            ? AppendItem(text, list, item)
            : AppendToSequence(text, SequenceAt(entry, "national") ?? throw new PolicyEditException(entry.Path + ".national", "missing"), Scalar(national)), note);
    }

    /// <summary>Records that <paramref name="national"/> is not a flow category and stays held on purpose, under <c>keepHeld</c>.</summary>
    public static string AddKeepHeld(string text, string national, string reason, string note)
    {
        Term("national", national);
        OneLine("reason", reason);
        OneLine("note", note, required: false);
        var root = YamlSpans.Parse(text);
        string[] item = [$"national: [{Scalar(national)}]", "reason: " + Quoted(reason)];
        if (SequenceAt(root, "keepHeld") is not { } list) return Finish(AddSection(text, root, "keepHeld", item), note);
        var items = list.Items.Select(MappingOf).ToList();
        Unlisted(items.Select(i => SequenceAt(i, "national")).OfType<SequenceSpan>(), national);
        var same = items.FirstOrDefault(i => i.ScalarOf("reason") == reason && i["national"] is SequenceSpan);
        return Finish(same is null
            ? AppendItem(text, list, item)
            : AppendToSequence(text, SequenceAt(same, "national")!, Scalar(national)), note);
    }

    /// <summary>Adds a written form of a nationality under <c>names</c> in policy/codelists/nationality-names.yaml.</summary>
    public static string AddNationalityName(string text, string iso3, string name, string note)
    {
        if (iso3 is not { Length: 3 } || !iso3.All(char.IsAsciiLetterUpper)) throw new PolicyEditException("iso3", $"'{iso3}': three upper-case letters are required");
        Term("name", name);
        OneLine("note", note, required: false);
        var root = YamlSpans.Parse(text);
        var names = root["names"] as MappingSpan ?? throw new PolicyEditException("names", "missing, or not a mapping");
        // A name under two nationalities is refused at start-up.
        Unlisted(names.Entries.Select(e => e.Value).OfType<SequenceSpan>(), name);
        switch (names[iso3])
        {
            case SequenceSpan list:
                return Finish(AppendToSequence(text, list, Scalar(name)), note);
            case { } other:
                throw new PolicyEditException(other.Path, "is not a list");
        }
        var keys = names.Entries.Select(e => e.Key).ToList();
        var sorted = keys.Zip(keys.Skip(1)).All(p => string.CompareOrdinal(p.First.Value, p.Second.Value) < 0);
        var before = sorted ? keys.FirstOrDefault(k => string.CompareOrdinal(k.Value, iso3) > 0) : null;
        return Finish(AddEntry(text, names, iso3, $"[{Scalar(name)}]", before), note);
    }

    /// <summary>Raises the top-level <c>version</c>: a whole number by one, a semantic version a.b.c to a.(b+1).0, in the same quoting.</summary>
    public static string BumpVersion(string text)
    {
        var root = YamlSpans.Parse(text);
        if (root["version"] is not ScalarSpan version) throw new PolicyEditException("version", "missing, or not a scalar");
        var next = NextVersion(version.Value) ?? throw new PolicyEditException("version", $"'{version.Value}' is neither a whole number nor a semantic version a.b.c");
        var written = version.Style switch
        {
            ScalarStyle.Plain => next,
            ScalarStyle.SingleQuoted => $"'{next}'",
            ScalarStyle.DoubleQuoted => $"\"{next}\"",
            _ => throw new PolicyEditException("version", "is written as a block scalar"),
        };
        return string.Concat(text.AsSpan(0, version.Start), written, text.AsSpan(version.End));
    }

    private static string? NextVersion(string version)
    {
        if (Whole(version) is { } n) return (n + 1).ToString(CultureInfo.InvariantCulture);
        var parts = version.Split('.');
        return parts.Length == 3 && parts.All(p => Whole(p) is not null) ? $"{parts[0]}.{Whole(parts[1]) + 1}.0" : null;
    }

    private static long? Whole(string s) =>
        s.Length > 0 && s.All(char.IsAsciiDigit) && long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n < long.MaxValue ? n : null;

    private static string Finish(Edited edit, string note) => BumpVersion(WithComment(edit, note));

    private static Edited AppendTerm(string text, SequenceSpan list, string term)
    {
        Unlisted([list], term);
        return AppendToSequence(text, list, Scalar(term));
    }

    /// <summary>
    /// A new top-level list of one item, laid out as the repository's files lay out theirs (indented as <c>rules</c>
    /// is, a blank line after), placed before the sections that follow it and the comments above them.
    /// </summary>
    private static Edited AddSection(string text, MappingSpan root, string key, IReadOnlyList<string> item)
    {
        var (dash, keys) = root["rules"] is SequenceSpan { Flow: false } rules
            ? (Column(text, rules.Start), rules.Items[^1] is MappingSpan { Flow: false } rule ? KeyOffset(text, rules, rule) : 2)
            : (2, 2);
        IEnumerable<string> lines = [key + ":", .. ItemLines(item, dash, keys)];
        var later = Sections.SkipWhile(s => s != key).Skip(1).ToHashSet();
        var next = root.Entries.Select(e => e.Key).FirstOrDefault(k => later.Contains(k.Value));
        return next is null
            ? InsertLines(text, NextLineStart(text, root.End), lines)
            : InsertLines(text, CommentsAbove(text, LineStart(text, next.Start), 0), [.. lines, ""]);
    }
}
