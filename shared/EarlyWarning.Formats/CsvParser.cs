using System.Text;

namespace EarlyWarning.Formats;

/// <summary>The CSV state machine, fed characters in pieces of any size.</summary>
internal sealed class CsvParser(CsvReaderOptions options, Queue<byte[]>? invalidBytes)
{
    private readonly List<CsvRecord> _ready = [];
    private readonly List<string> _fields = [];
    private readonly StringBuilder _field = new();
    // Until the delimiter is known, the header's characters wait here.
    private StringBuilder? _header = options.Delimiter is null ? new StringBuilder() : null;
    private char _delimiter = options.Delimiter ?? ',';
    private int _line = 1;
    private int _recordLine = 1;
    private bool _quoted;
    private bool _quoteInQuoted;
    private bool _fieldStarted;
    private bool _afterQuote;
    private bool _first = true;
    private bool _headerQuoted;

    /// <summary>
    /// The first error met; raised by the reader only after the records completed before it, so that the
    /// caller knows the header when a later field in the same piece of input breaks a limit.
    /// </summary>
    public CsvFormatException? Failure { get; private set; }

    public List<CsvRecord> TakeRecords()
    {
        var records = _ready.ToList();
        _ready.Clear();
        return records;
    }

    public void Feed(ReadOnlySpan<char> chars)
    {
        if (Failure is not null) return;
        try
        {
            FeedUnchecked(chars);
        }
        catch (CsvFormatException ex)
        {
            Failure = ex;
        }
    }

    private void FeedUnchecked(ReadOnlySpan<char> chars)
    {
        foreach (var c in chars)
        {
            if (_first)
            {
                _first = false;
                if (c == '\uFEFF') continue;
            }
            if (c == '\uFFFF' && invalidBytes is { Count: > 0 })
                throw new CsvFormatException(_line, $"bytes {Convert.ToHexString(invalidBytes.Dequeue())} are not valid in the declared charset (UTF-8 unless the content type states another)");
            if (_header is not null) CollectHeader(c);
            else Next(c);
        }
    }

    public void Finish()
    {
        if (Failure is not null) return;
        try
        {
            FinishUnchecked();
        }
        catch (CsvFormatException ex)
        {
            Failure = ex;
        }
    }

    private void FinishUnchecked()
    {
        if (_header is not null) ReplayHeader();
        if (_quoteInQuoted) { _quoteInQuoted = false; _quoted = false; _afterQuote = true; }
        if (_quoted) throw new CsvFormatException(_recordLine, "a quoted field is not closed before the end of the file");
        if (_fieldStarted || _fields.Count > 0 || _field.Length > 0) EndRecord();
    }

    private void CollectHeader(char c)
    {
        if (_header!.Length >= options.MaximumFieldLength * 4 + options.MaximumColumns)
            throw new CsvFormatException(1, "the header line is too long");
        _header.Append(c);
        if (c == '"') _headerQuoted = !_headerQuoted;
        else if (c == '\n' && !_headerQuoted) ReplayHeader();
    }

    private void ReplayHeader()
    {
        var header = _header!.ToString();
        _header = null;
        var unquoted = new StringBuilder();
        var quoted = false;
        foreach (var c in header)
        {
            if (c == '"') quoted = !quoted;
            else if (!quoted) unquoted.Append(c);
        }
        var text = unquoted.ToString();
        _delimiter = text.Count(c => c == ';') > text.Count(c => c == ',') ? ';' : ',';
        foreach (var c in header) Next(c);
    }

    private void Next(char c)
    {
        if (_quoteInQuoted)
        {
            _quoteInQuoted = false;
            if (c == '"') { Append(c); return; }
            _quoted = false;
            _afterQuote = true;
        }
        if (_quoted)
        {
            if (c == '"') { _quoteInQuoted = true; return; }
            if (c == '\n') _line++;
            Append(c);
            return;
        }
        if (c == _delimiter)
        {
            EndField();
            return;
        }
        switch (c)
        {
            case '\r':
                return;
            case '\n':
                if (_fieldStarted || _fields.Count > 0 || _field.Length > 0) EndRecord();
                _line++;
                _recordLine = _line;
                return;
            case '"' when !_fieldStarted && _field.Length == 0:
                _quoted = true;
                _fieldStarted = true;
                return;
            default:
                if (_afterQuote)
                    throw new CsvFormatException(_line, "text after a closing quote; a quote inside a quoted field is written \"\"", _fields.Count);
                Append(c);
                _fieldStarted = true;
                return;
        }
    }

    private void Append(char c)
    {
        if (_field.Length >= options.MaximumFieldLength)
            throw new CsvFormatException(_recordLine, $"a field is longer than {options.MaximumFieldLength} characters", _fields.Count);
        _field.Append(c);
    }

    private void EndField()
    {
        if (_fields.Count + 2 > options.MaximumColumns)
            throw new CsvFormatException(_recordLine, $"a record has more than {options.MaximumColumns} fields");
        _fields.Add(_field.ToString());
        _field.Clear();
        _fieldStarted = false;
        _afterQuote = false;
    }

    private void EndRecord()
    {
        _fields.Add(_field.ToString());
        _ready.Add(new CsvRecord(_recordLine, _fields.ToArray()));
        _fields.Clear();
        _field.Clear();
        _fieldStarted = false;
        _afterQuote = false;
    }
}
