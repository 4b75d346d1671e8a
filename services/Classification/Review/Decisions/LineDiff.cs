using System.Text;

namespace EarlyWarning.Classification.Review.Decisions;

/// <summary>A unified diff of two versions of a policy file, as `git diff` shows it, so that a decision reads as the change it makes.</summary>
internal static class LineDiff
{
    private const int Context = 2;

    public static string Unified(string path, string before, string after)
    {
        var a = Lines(before);
        var b = Lines(after);
        // Policy files are a few hundred lines and an edit touches a few: the common prefix and suffix leave a small core.
        var prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix]) prefix++;
        var suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[^(suffix + 1)] == b[^(suffix + 1)]) suffix++;
        var ops = Core(a[prefix..^suffix], b[prefix..^suffix]);
        if (ops.Count == 0) return "";

        var script = new List<(char Op, string Line, int A, int B)>();
        int ia = 0, ib = 0;
        for (var i = 0; i < prefix; i++, ia++, ib++) script.Add((' ', a[ia], ia, ib));
        foreach (var op in ops)
        {
            script.Add(op == '-' ? ('-', a[ia], ia, ib) : op == '+' ? ('+', b[ib], ia, ib) : (' ', a[ia], ia, ib));
            if (op != '+') ia++;
            if (op != '-') ib++;
        }
        for (; ia < a.Length; ia++, ib++) script.Add((' ', a[ia], ia, ib));

        var text = new StringBuilder($"--- a/{path}\n+++ b/{path}\n");
        var changed = script.Select((s, i) => (s, i)).Where(x => x.s.Op != ' ').Select(x => x.i).ToList();
        var start = 0;
        while (start < changed.Count)
        {
            var end = start;
            while (end + 1 < changed.Count && changed[end + 1] - changed[end] <= 2 * Context + 1) end++;
            var from = Math.Max(0, changed[start] - Context);
            var to = Math.Min(script.Count - 1, changed[end] + Context);
            var hunk = script.GetRange(from, to - from + 1);
            var (oldCount, newCount) = (hunk.Count(h => h.Op != '+'), hunk.Count(h => h.Op != '-'));
            text.Append($"@@ -{hunk[0].A + (oldCount == 0 ? 0 : 1)},{oldCount} +{hunk[0].B + (newCount == 0 ? 0 : 1)},{newCount} @@\n");
            foreach (var h in hunk) text.Append(h.Op).Append(h.Line).Append('\n');
            start = end + 1;
        }
        return text.ToString();
    }

    private static string[] Lines(string text) => text.Replace("\r\n", "\n").TrimEnd('\n').Split('\n');

    /// <summary>Edit script of the changed middle by longest common subsequence: ' ' keep, '-' remove, '+' add.</summary>
    private static List<char> Core(string[] a, string[] b)
    {
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
            for (var j = b.Length - 1; j >= 0; j--)
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
        var ops = new List<char>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y]) { ops.Add(' '); x++; y++; }
            else if (y < b.Length && (x == a.Length || lcs[x, y + 1] >= lcs[x + 1, y])) { ops.Add('+'); y++; }
            else { ops.Add('-'); x++; }
        }
        return ops;
    }
}
