using EarlyWarning.Formats;

namespace EarlyWarning.UnitTests;

public sealed class CsvRecordReaderTests
{
    private static async Task<List<CsvRecord>> Read(string text)
    {
        var records = new List<CsvRecord>();
        await foreach (var record in CsvRecordReader.ReadAsync(new StringReader(text))) records.Add(record);
        return records;
    }

    [Fact]
    public async Task Quoted_fields_may_hold_commas_quotes_and_line_breaks_and_lines_are_counted_across_them()
    {
        var records = await Read("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",z\n\nlast,1");

        Assert.Equal([1, 2, 3, 6], records.Select(r => r.Line));
        Assert.Equal(["x, y", "say \"hi\""], records[1].Fields);
        Assert.Equal(["two\nlines", "z"], records[2].Fields);
        Assert.Equal(["last", "1"], records[3].Fields);
    }

    [Fact]
    public async Task A_byte_order_mark_is_not_part_of_the_first_header()
    {
        var records = await Read("\uFEFFperiod,count\n");
        Assert.Equal("period", records[0].Fields[0]);
    }

    [Fact]
    public async Task An_unclosed_quote_is_reported_at_the_line_where_its_record_starts()
    {
        var error = await Assert.ThrowsAsync<CsvFormatException>(() => Read("a,b\n1,2\n\"open,3\n4,5\n"));
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public async Task Empty_fields_are_kept()
    {
        var records = await Read("a,,c,\n");
        Assert.Equal(["a", "", "c", ""], records[0].Fields);
    }
}
