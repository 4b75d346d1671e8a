using System.Text.Json;

namespace EarlyWarning.Ingestion.Submissions;

/// <summary>
/// Utf8JsonReader gives back what it read after the last whole token when the next one is cut by the end of the
/// buffer: whitespace after a comma, or between a property name and its colon, stays in the buffer however long
/// it is. When that fills the buffer, each run of whitespace between tokens is squeezed to one byte, and the
/// syntax errors found later are given the line and position they have in the bytes as sent.
/// </summary>
internal sealed class SqueezedWhitespace
{
    private static ReadOnlySpan<byte> Whitespace => " \t\r\n"u8;

    /// <summary>Line feeds the reader has consumed: its line number at the first byte it has not.</summary>
    private long _line;
    private long _linesRemoved;
    /// <summary>On this line (as the reader counts), the reader's positions are short of the true ones by <see cref="_shift"/> bytes.</summary>
    private long _shiftedLine = -1;
    private long _shift;

    public void Consumed(ReadOnlySpan<byte> bytes) => _line += bytes.Count((byte)'\n');

    /// <summary>Squeezes the runs of whitespace outside strings in the bytes not yet consumed; returns their new length.</summary>
    public int Squeeze(Span<byte> pending)
    {
        var line = _line;
        var written = 0;
        var inString = false;
        var escaped = false;
        for (var read = 0; read < pending.Length;)
        {
            var b = pending[read];
            if (inString || !Whitespace.Contains(b))
            {
                if (escaped) escaped = false;
                else if (inString && b == '\\') escaped = true;
                else if (b == '"') inString = !inString;
                pending[written++] = b;
                read++;
                continue;
            }
            var run = pending[read..];
            var length = run.IndexOfAnyExcept(Whitespace) is var end and >= 0 ? end : run.Length;
            run = run[..length];
            var lineFeeds = run.Count((byte)'\n');
            if (length == 1)
            {
                // Nothing to squeeze (and runs squeezed before are one byte long now).
                pending[written++] = b;
                line += lineFeeds;
            }
            else if (lineFeeds == 0)
            {
                // One space still parts the tokens; the rest of the line stands that much further right.
                if (_shiftedLine != line) (_shiftedLine, _shift) = (line, 0);
                _shift += length - 1;
                pending[written++] = (byte)' ';
            }
            else
            {
                // One line feed starts the next line; the line after the run starts that many bytes further right.
                var tail = length - 1 - run.LastIndexOf((byte)'\n');
                var carried = _shiftedLine == line + lineFeeds ? _shift : 0;
                _linesRemoved += lineFeeds - 1;
                line++;
                (_shiftedLine, _shift) = (line, tail + carried);
                pending[written++] = (byte)'\n';
            }
            read += length;
        }
        return written;
    }

    /// <summary>The reader's error with the line and position it has in the bytes as sent.</summary>
    public JsonException Correct(JsonException error)
    {
        if (_linesRemoved == 0 && _shiftedLine < 0) return error;
        var line = error.LineNumber ?? 0;
        var position = error.BytePositionInLine ?? 0;
        if (line == _shiftedLine) position += _shift;
        line += _linesRemoved;
        var message = error.Message;
        var at = message.LastIndexOf(" LineNumber: ", StringComparison.Ordinal);
        if (at >= 0) message = $"{message[..at]} LineNumber: {line} | BytePositionInLine: {position}.";
        return new JsonException(message, error.Path, line, position);
    }
}
