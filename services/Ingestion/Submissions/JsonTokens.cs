using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace EarlyWarning.Ingestion.Submissions;

/// <summary>
/// The tokens of one JSON document, pulled from a stream through a buffer that holds only the bytes the reader has
/// not consumed yet: one token and what precedes it. Utf8JsonReader's state carries everything else from one buffer
/// to the next (depth, line and position, a token cut by a read), so a body of any size is read in constant memory.
/// </summary>
/// <remarks>
/// Bounds: a token (or a nested value captured as text) longer than <c>maximumTokenBytes</c> throws
/// <see cref="JsonValueTooLongException"/>; nesting deeper than <c>maxDepth</c> is a syntax error of the reader;
/// whitespace is squeezed (<see cref="SqueezedWhitespace"/>) rather than held.
/// </remarks>
internal sealed class JsonTokens : IDisposable
{
    public const int DefaultBufferBytes = 16 * 1024;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Stream _stream;
    private readonly int _maximumTokenBytes;
    private readonly SqueezedWhitespace _whitespace = new();
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _final;
    private bool _begun;
    private JsonReaderState _state;
    private int _tokenStart;
    private int _valueLength;
    private ArrayBufferWriter<byte>? _capture;
    private bool _capturing;

    /// <param name="bufferBytes">The buffer's first size (small in tests, to cut every token); it grows to twice <paramref name="maximumTokenBytes"/> at most.</param>
    public JsonTokens(Stream stream, int bufferBytes, int maximumTokenBytes, int maxDepth)
    {
        _stream = stream;
        _maximumTokenBytes = maximumTokenBytes;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Clamp(bufferBytes, 4, 2 * maximumTokenBytes));
        _state = new JsonReaderState(new JsonReaderOptions { MaxDepth = maxDepth });
    }

    public JsonTokenType TokenType { get; private set; }

    /// <summary>Utf8JsonReader's depth of the current token (a container's start and end tokens share it).</summary>
    public int Depth { get; private set; }

    /// <summary>The buffer's size; it only grows (for the tests of its bound).</summary>
    public int Capacity => _buffer.Length;

    /// <summary>Reads the next token; false only at the end of the document. Throws <see cref="JsonException"/> for a syntax error.</summary>
    public async ValueTask<bool> ReadAsync(CancellationToken ct)
    {
        if (!_begun) await BeginAsync(ct);
        while (true)
        {
            switch (Step())
            {
                case Progress.Token: return true;
                case Progress.End: return false;
            }
            await FillAsync(ct);
        }
    }

    /// <summary>The text of the current string or property name, or why it has none (bytes that are not UTF-8, an escaped lone surrogate).</summary>
    public bool TryGetString(out string text, out string? problem)
    {
        text = "";
        problem = null;
        // The token with its quotes is a JSON string of its own: a reader of it decodes exactly as the document's would.
        var quoted = _buffer.AsSpan(_tokenStart, _valueLength + 2);
        if (!Utf8.IsValid(quoted))
        {
            problem = JsonText.NotUtf8;
            return false;
        }
        var reader = new Utf8JsonReader(quoted);
        reader.Read();
        try
        {
            text = reader.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            problem = JsonText.LoneSurrogate;
            return false;
        }
    }

    /// <summary>The current number or literal (true, false, null) as written.</summary>
    public string RawText() => Encoding.ASCII.GetString(_buffer, _tokenStart, _valueLength);

    /// <summary>Starts keeping the bytes of the container the current token opens, as written (JsonElement.GetRawText).</summary>
    public void BeginCapture()
    {
        _capture ??= new ArrayBufferWriter<byte>();
        _capture.ResetWrittenCount();
        Capture(_buffer.AsSpan(_tokenStart, _start - _tokenStart));
        _capturing = true;
    }

    /// <summary>The bytes kept since <see cref="BeginCapture"/>, through the current token, as text; null when they are not UTF-8.</summary>
    public string? EndCapture()
    {
        var bytes = _capture!.WrittenSpan;
        _capturing = false;
        return Utf8.IsValid(bytes) ? StrictUtf8.GetString(bytes) : null;
    }

    private void Capture(ReadOnlySpan<byte> bytes)
    {
        if (_capture!.WrittenCount + bytes.Length > _maximumTokenBytes) throw new JsonValueTooLongException();
        bytes.CopyTo(_capture.GetSpan(bytes.Length));
        _capture.Advance(bytes.Length);
    }

    private enum Progress { Token, End, MoreData }

    private Progress Step()
    {
        var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, _state);
        bool read;
        try
        {
            read = reader.Read();
        }
        catch (JsonException ex)
        {
            if (QuotesALiteral(ex, out var quoted))
            {
                if (quoted <= LiteralQuote && !_final) return Progress.MoreData;
                if (quoted > LiteralQuote) ex = new JsonException($"'{ex.Message[1..(LiteralQuote + 1)]}…{ex.Message[(quoted + 1)..]}", ex.Path, ex.LineNumber, ex.BytePositionInLine);
            }
            throw _whitespace.Correct(ex);
        }
        var consumed = (int)reader.BytesConsumed;
        var bytes = _buffer.AsSpan(_start, consumed);
        _whitespace.Consumed(bytes);
        if (_capturing) Capture(bytes);
        _state = reader.CurrentState;
        if (read)
        {
            TokenType = reader.TokenType;
            Depth = reader.CurrentDepth;
            _tokenStart = _start + (int)reader.TokenStartIndex;
            _valueLength = reader.ValueSpan.Length;
            // The buffer's bound catches a token only once it is twice this long; a shorter one that is still too long is caught here.
            if (_valueLength > _maximumTokenBytes) throw new JsonValueTooLongException();
        }
        _start += consumed;
        return read ? Progress.Token : _final ? Progress.End : Progress.MoreData;
    }

    /// <summary>
    /// Utf8JsonReader quotes all it holds after a bad literal (true, false, null): a message that would change with
    /// how the body was cut, and grow with the body. It is quoted once the reader holds more than this many
    /// characters after the literal's start (or the body has ended), and cut to this many.
    /// </summary>
    private const int LiteralQuote = 200;

    private static bool QuotesALiteral(JsonException error, out int quoted)
    {
        quoted = error.Message.LastIndexOf("' is an invalid JSON literal.", StringComparison.Ordinal) - 1;
        return quoted >= 0 && error.Message.StartsWith('\'');
    }

    private async ValueTask BeginAsync(CancellationToken ct)
    {
        _begun = true;
        // As JsonDocument.ParseAsync does: a UTF-8 byte order mark is not part of the document.
        while (_end < 3 && !_final) await ReadMoreAsync(ct);
        if (_buffer.AsSpan(0, _end).StartsWith("\uFEFF"u8)) _start = 3;
    }

    private async ValueTask FillAsync(CancellationToken ct)
    {
        var pending = _end - _start;
        _buffer.AsSpan(_start, pending).CopyTo(_buffer);
        _start = 0;
        _end = pending;
        if (_end == _buffer.Length) MakeRoom();
        await ReadMoreAsync(ct);
    }

    /// <summary>The buffer is full of bytes the reader cannot consume yet: it grows, or loses long whitespace, or the token is too long.</summary>
    private void MakeRoom()
    {
        if (_buffer.Length < 2 * _maximumTokenBytes)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Min(2 * _buffer.Length, 2 * _maximumTokenBytes));
            _buffer.AsSpan(0, _end).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
            return;
        }
        // Captured bytes are kept as written, whitespace and all.
        if (!_capturing) _end = _whitespace.Squeeze(_buffer.AsSpan(0, _end));
        if (_end > _maximumTokenBytes) throw new JsonValueTooLongException();
    }

    private async ValueTask ReadMoreAsync(CancellationToken ct)
    {
        var read = await _stream.ReadAsync(_buffer.AsMemory(_end), ct);
        if (read == 0) _final = true;
        _end += read;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}

/// <summary>A token, or a nested value kept as text, is longer than the reader holds.</summary>
internal sealed class JsonValueTooLongException() : Exception("a JSON token is longer than the reader holds");

/// <summary>Why a JSON string has no text, worded as the submission's errors say it.</summary>
internal static class JsonText
{
    public const string NotUtf8 = "contains bytes that are not valid UTF-8";
    public const string LoneSurrogate = "contains an escaped unpaired surrogate (\\uD800 to \\uDFFF alone is not a Unicode character)";
}
