namespace EarlyWarning.Classification.Review.Editing;

/// <summary>A text after one change, and the start of the line a reviewer should read (the one changed, or the first one added).</summary>
internal readonly record struct Edited(string Text, int Line);

/// <summary>Line arithmetic on a file's text, keeping its line ends (CRLF or LF) and its last line with or without a newline.</summary>
internal static class YamlLines
{
    public static string NewlineOf(string text) => text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";

    public static int LineStart(string text, int at) => at == 0 ? 0 : text.LastIndexOf('\n', at - 1) + 1;

    /// <summary>The start of the line after the one holding <paramref name="at"/>; the text's length on the last line.</summary>
    public static int NextLineStart(string text, int at)
    {
        var newline = text.IndexOf('\n', at);
        return newline < 0 ? text.Length : newline + 1;
    }

    public static int Column(string text, int at) => at - LineStart(text, at);

    public static string Spaces(int count) => new(' ', count);

    /// <summary>Inserts whole lines at a line start, or after the last line when it has no newline (which it keeps lacking).</summary>
    public static Edited InsertLines(string text, int at, IEnumerable<string> lines)
    {
        var newline = NewlineOf(text);
        var block = string.Join(newline, lines);
        if (at == text.Length && text.Length > 0 && text[^1] != '\n')
            return new(text + newline + block, text.Length + newline.Length);
        return new(text.Insert(at, block + newline), at);
    }

    /// <summary>
    /// The first of the comment lines directly above a line (no blank line between, indented at least
    /// <paramref name="minIndent"/>): they speak of that line, so whatever is inserted before it goes above them.
    /// </summary>
    public static int CommentsAbove(string text, int lineStart, int minIndent)
    {
        var start = lineStart;
        while (start > 0)
        {
            var previous = LineStart(text, start - 1);
            var line = text[previous..start].TrimEnd('\r', '\n');
            var content = line.TrimStart(' ');
            if (!content.StartsWith('#') || line.Length - content.Length < minIndent) break;
            start = previous;
        }
        return start;
    }

    /// <summary>Puts <c># accepted note</c> on its own line above the edited line, at its indentation.</summary>
    public static string WithComment(Edited edit, string note)
    {
        var text = edit.Text;
        var indent = edit.Line;
        while (indent < text.Length && text[indent] == ' ') indent++;
        var comment = text[edit.Line..indent] + "# accepted" + (note.Length > 0 ? " " + note : "") + NewlineOf(text);
        return text.Insert(edit.Line, comment);
    }
}
