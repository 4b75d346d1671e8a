using EarlyWarning.Classification.Policy;
using static EarlyWarning.Classification.Review.Editing.YamlLines;

namespace EarlyWarning.Classification.Review.Editing;

/// <summary>Additions to the collections of a parsed file, written in the style (flow or block, indentation) of what is already there.</summary>
internal static class YamlEdits
{
    public static SequenceSpan? SequenceAt(MappingSpan mapping, string key) => mapping[key] switch
    {
        null => null,
        SequenceSpan sequence => sequence,
        var other => throw new PolicyEditException(other.Path, "is not a list"),
    };

    public static MappingSpan MappingOf(YamlSpan node) =>
        node as MappingSpan ?? throw new PolicyEditException(node.Path, "is not a mapping");

    /// <summary>Refuses a term some list already holds, compared the way the classifier compares national text.</summary>
    public static void Unlisted(IEnumerable<SequenceSpan> lists, string term)
    {
        var key = NationalText.Normalize(term);
        foreach (var list in lists)
            for (var n = 0; n < list.Items.Count; n++)
                if (list.Items[n] is ScalarSpan s && NationalText.Normalize(s.Value) == key)
                    throw new PolicyEditException($"{list.Path}[{n}]", $"already holds '{term}' (written '{s.Value}')");
    }

    /// <summary>Appends an already written scalar or flow node: after the last item of a flow list, or as a new <c>- item</c> line.</summary>
    public static Edited AppendToSequence(string text, SequenceSpan list, string written)
    {
        if (list.Flow)
        {
            var at = list.Items.Count == 0 ? list.Close : list.Items[^1].End;
            return new(text.Insert(at, list.Items.Count == 0 ? written : ", " + written), LineStart(text, at));
        }
        return InsertLines(text, NextLineStart(text, list.End), [Spaces(Column(text, list.Start)) + "- " + written]);
    }

    /// <summary>
    /// Appends a block item to a block list. <paramref name="lines"/>: the first follows the dash, the others are
    /// indented from the item's keys, as the list's last item has them.
    /// </summary>
    public static Edited AppendItem(string text, SequenceSpan list, IReadOnlyList<string> lines)
    {
        if (list.Flow) throw new PolicyEditException(list.Path, "is a flow list; a new item goes only into a block list");
        var dash = Column(text, list.Start);
        var keys = list.Items[^1] is MappingSpan { Flow: false } last ? KeyOffset(text, list, last) : 2;
        return InsertLines(text, NextLineStart(text, list.End), ItemLines(lines, dash, keys));
    }

    /// <summary>How far right of the list's dash an item's keys start (2 in <c>- key: value</c>).</summary>
    public static int KeyOffset(string text, SequenceSpan list, MappingSpan item) => Math.Max(2, Column(text, item.Start) - Column(text, list.Start));

    public static IEnumerable<string> ItemLines(IReadOnlyList<string> lines, int dash, int keys) =>
        lines.Select((line, i) => i == 0 ? Spaces(dash) + "-" + Spaces(keys - 1) + line : Spaces(dash + keys) + line);

    /// <summary>
    /// Adds <c>key: value</c> to a mapping: before the closing brace of a flow mapping; in a block mapping, after the
    /// last entry or above the comments of <paramref name="before"/>.
    /// </summary>
    public static Edited AddEntry(string text, MappingSpan mapping, string key, string value, ScalarSpan? before = null)
    {
        var entry = key + ": " + value;
        if (mapping.Flow)
        {
            var at = mapping.Entries.Count == 0 ? mapping.Close : mapping.Entries[^1].Value.End;
            return new(text.Insert(at, mapping.Entries.Count == 0 ? entry : ", " + entry), LineStart(text, at));
        }
        var indent = Column(text, mapping.Start);
        var line = before is null ? NextLineStart(text, mapping.End) : CommentsAbove(text, LineStart(text, before.Start), indent);
        return InsertLines(text, line, [Spaces(indent) + entry]);
    }
}
