using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace EarlyWarning.Classification.Review.Editing;

/// <summary>A node of a YAML file and where it sits in the text, so an edit touches only the characters it must.</summary>
internal abstract class YamlSpan(string path, int start)
{
    /// <summary>The node's place in the file, as error messages name it: <c>rules[3].national</c>.</summary>
    public string Path { get; } = path;

    /// <summary>The first character: a scalar's first character or quote, a flow collection's bracket, a block sequence's first dash, a block mapping's first key.</summary>
    public int Start { get; } = start;

    /// <summary>Just past the last character. A block collection ends with its last item, not with the comments and blank lines after it.</summary>
    public abstract int End { get; }
}

internal sealed class ScalarSpan(string path, int start, int end, string value, ScalarStyle style) : YamlSpan(path, start)
{
    public override int End { get; } = end;
    public string Value { get; } = value;
    public ScalarStyle Style { get; } = style;
}

internal sealed class SequenceSpan(string path, int start, bool flow) : YamlSpan(path, start)
{
    public bool Flow { get; } = flow;
    public List<YamlSpan> Items { get; } = [];

    /// <summary>The closing bracket of a flow sequence.</summary>
    public int Close { get; set; }

    public override int End => Flow ? Close + 1 : Items[^1].End;
}

internal sealed class MappingSpan(string path, int start, bool flow) : YamlSpan(path, start)
{
    public bool Flow { get; } = flow;
    public List<(ScalarSpan Key, YamlSpan Value)> Entries { get; } = [];

    /// <summary>The closing brace of a flow mapping.</summary>
    public int Close { get; set; }

    public override int End => Flow ? Close + 1 : Entries[^1].Value.End;

    public YamlSpan? this[string key] => Entries.FirstOrDefault(e => e.Key.Value == key).Value;

    public string? ScalarOf(string key) => (this[key] as ScalarSpan)?.Value;
}

/// <summary>Reads a file into <see cref="YamlSpan"/>s from the parser's events; their marks are character offsets in the text.</summary>
internal static class YamlSpans
{
    public static MappingSpan Parse(string text)
    {
        try
        {
            var parser = new Parser(new StringReader(text));
            parser.Consume<StreamStart>();
            parser.Consume<DocumentStart>();
            var root = Read(parser, "") as MappingSpan ?? throw new PolicyEditException("file", "the top level is not a mapping");
            parser.Consume<DocumentEnd>();
            if (!parser.Accept<StreamEnd>(out _)) throw new PolicyEditException("file", "holds more than one YAML document");
            return root;
        }
        catch (YamlException e)
        {
            throw new PolicyEditException($"line {e.Start.Line}, column {e.Start.Column}", e.InnerException?.Message ?? e.Message);
        }
    }

    private static YamlSpan Read(IParser parser, string path)
    {
        if (parser.TryConsume<Scalar>(out var scalar))
            return new ScalarSpan(path, At(scalar.Start), At(scalar.End), scalar.Value, scalar.Style);
        if (parser.TryConsume<SequenceStart>(out var sequenceStart))
        {
            var sequence = new SequenceSpan(path, At(sequenceStart.Start), sequenceStart.Style == SequenceStyle.Flow);
            while (!parser.Accept<SequenceEnd>(out _))
                sequence.Items.Add(Read(parser, $"{path}[{sequence.Items.Count}]"));
            sequence.Close = At(parser.Consume<SequenceEnd>().Start);
            return sequence;
        }
        if (parser.TryConsume<MappingStart>(out var mappingStart))
        {
            var mapping = new MappingSpan(path, At(mappingStart.Start), mappingStart.Style == MappingStyle.Flow);
            while (!parser.Accept<MappingEnd>(out _))
            {
                var key = Read(parser, path) as ScalarSpan ?? throw new PolicyEditException(Named(path), "a key that is not a scalar");
                mapping.Entries.Add((key, Read(parser, path.Length == 0 ? key.Value : $"{path}.{key.Value}")));
            }
            mapping.Close = At(parser.Consume<MappingEnd>().Start);
            return mapping;
        }
        // An alias would make one node appear at two places; no policy file needs it.
        throw new PolicyEditException(Named(path), "anchors and aliases are not supported");
    }

    private static string Named(string path) => path.Length == 0 ? "file" : path;

    private static int At(Mark mark) => checked((int)mark.Index);
}
