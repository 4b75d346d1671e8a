using System.Runtime.CompilerServices;
using System.Text;

namespace EarlyWarning.Formats;

/// <summary>
/// Streams RFC 4180 records from bytes: fields separated by ',' or ';' (stated, or detected from the header),
/// optionally in double quotes (with "" for a quote and line breaks allowed inside), CRLF or LF line ends.
/// Reports the line each record starts on, so errors can name it. Blank lines are skipped; a byte order mark
/// is ignored. Bytes are decoded strictly: a byte sequence the charset does not define is an error naming its
/// line, never a silent U+FFFD. Nothing depends on how the bytes are split into reads: the parser keeps its
/// whole state between chunks and never looks ahead.
/// </summary>
public static class CsvRecordReader
{
    /// <summary>Reads text already decoded (tests, strings). Limits apply as for bytes.</summary>
    public static async IAsyncEnumerable<CsvRecord> ReadAsync(TextReader reader, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var parser = new CsvParser(new CsvReaderOptions(Delimiter: ','), invalidBytes: null);
        var buffer = new char[16 * 1024];
        int read;
        while ((read = await reader.ReadAsync(buffer.AsMemory(), ct)) > 0)
        {
            parser.Feed(buffer.AsSpan(0, read));
            foreach (var record in parser.TakeRecords()) yield return record;
            if (parser.Failure is { } failure) throw failure;
        }
        parser.Finish();
        foreach (var record in parser.TakeRecords()) yield return record;
        if (parser.Failure is { } last) throw last;
    }

    /// <summary>Reads bytes in the given charset (UTF-8 when null).</summary>
    public static async IAsyncEnumerable<CsvRecord> ReadAsync(
        Stream stream, Encoding? charset, CsvReaderOptions options, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var invalid = new Queue<byte[]>();
        var encoding = (Encoding)(charset ?? new UTF8Encoding(false)).Clone();
        encoding.DecoderFallback = new RecordingDecoderFallback(invalid);
        var decoder = encoding.GetDecoder();
        var parser = new CsvParser(options, invalid);
        var bytes = new byte[16 * 1024];
        var chars = new char[encoding.GetMaxCharCount(bytes.Length) + 4];
        int read;
        while ((read = await stream.ReadAsync(bytes.AsMemory(), ct)) > 0)
        {
            var count = decoder.GetChars(bytes, 0, read, chars, 0, flush: false);
            parser.Feed(chars.AsSpan(0, count));
            foreach (var record in parser.TakeRecords()) yield return record;
            if (parser.Failure is { } failure) throw failure;
        }
        var rest = decoder.GetChars([], 0, 0, chars, 0, flush: true);
        parser.Feed(chars.AsSpan(0, rest));
        parser.Finish();
        foreach (var record in parser.TakeRecords()) yield return record;
        if (parser.Failure is { } last) throw last;
    }

    /// <summary>
    /// Stands an undefined byte sequence in for U+FFFF (a noncharacter) and remembers its bytes, so the parser
    /// can tell it from a real U+FFFF and report the bytes at the line where they occur.
    /// </summary>
    private sealed class RecordingDecoderFallback(Queue<byte[]> invalid) : DecoderFallback
    {
        public override int MaxCharCount => 1;
        public override DecoderFallbackBuffer CreateFallbackBuffer() => new Buffer(invalid);

        private sealed class Buffer(Queue<byte[]> invalid) : DecoderFallbackBuffer
        {
            private bool _pending;
            public override int Remaining => _pending ? 1 : 0;

            public override bool Fallback(byte[] bytesUnknown, int index)
            {
                invalid.Enqueue(bytesUnknown);
                _pending = true;
                return true;
            }

            public override char GetNextChar()
            {
                if (!_pending) return '\0';
                _pending = false;
                return '\uFFFF';
            }

            public override bool MovePrevious() => false;
            public override void Reset() => _pending = false;
        }
    }
}
