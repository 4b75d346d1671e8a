using System.Runtime.CompilerServices;
using System.Text;

namespace EarlyWarning.Formats;

/// <summary>
/// Streams RFC 4180 records: comma-separated, fields optionally in double quotes (with "" for a quote and
/// line breaks allowed inside), CRLF or LF line ends. Reports the line each record starts on, so errors can
/// name it. Blank lines are skipped. A UTF-8 byte order mark is ignored.
/// </summary>
public static class CsvRecordReader
{
    public static async IAsyncEnumerable<CsvRecord> ReadAsync(TextReader reader, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var quoted = false;
        var fieldStarted = false;
        var afterQuote = false;
        var buffer = new char[64 * 1024];
        var first = true;
        int read;
        while ((read = await reader.ReadAsync(buffer.AsMemory(), ct)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                var c = buffer[i];
                if (first) { first = false; if (c == '\uFEFF') continue; }
                if (quoted)
                {
                    if (c == '"')
                    {
                        if (i + 1 < read) { if (buffer[i + 1] == '"') { field.Append('"'); i++; } else { quoted = false; afterQuote = true; } }
                        else
                        {
                            // The escaped quote may straddle two buffers.
                            var next = reader.Peek();
                            if (next == '"') { reader.Read(); field.Append('"'); } else { quoted = false; afterQuote = true; }
                        }
                    }
                    else
                    {
                        if (c == '\n') line++;
                        field.Append(c);
                    }
                    continue;
                }
                switch (c)
                {
                    case ',':
                        fields.Add(field.ToString()); field.Clear(); fieldStarted = false; afterQuote = false;
                        break;
                    case '\r':
                        break;
                    case '\n':
                        if (fieldStarted || fields.Count > 0 || field.Length > 0)
                        {
                            fields.Add(field.ToString());
                            yield return new CsvRecord(recordLine, fields.ToArray());
                        }
                        fields.Clear(); field.Clear(); fieldStarted = false; afterQuote = false;
                        line++;
                        recordLine = line;
                        break;
                    case '"' when !fieldStarted && field.Length == 0:
                        quoted = true; fieldStarted = true;
                        break;
                    default:
                        if (afterQuote)
                            throw new CsvFormatException(line, "text after a closing quote; a quote inside a quoted field is written \"\"");
                        field.Append(c); fieldStarted = true;
                        break;
                }
            }
        }
        if (quoted) throw new CsvFormatException(recordLine, "a quoted field is not closed before the end of the file");
        if (fieldStarted || fields.Count > 0 || field.Length > 0)
        {
            fields.Add(field.ToString());
            yield return new CsvRecord(recordLine, fields.ToArray());
        }
    }
}
