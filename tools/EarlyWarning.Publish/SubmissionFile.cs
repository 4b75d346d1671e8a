using System.Security.Cryptography;
using System.Text;

namespace EarlyWarning.Publish;

/// <summary>A file to publish: its media type (from its extension and first line) and a digest that names its content.</summary>
internal sealed record SubmissionFile(string Path, long Length, string ContentType, string Sha256)
{
    public const string SdmxCsv = "application/vnd.sdmx.data+csv; version=2.0.0";

    /// <summary>
    /// JSON by extension; otherwise CSV, SDMX-CSV when its header starts with STRUCTURE (as SDMX-CSV 2.0 files do).
    /// A declared charset is passed on for CSV (Ingestion reads UTF-8 unless told otherwise).
    /// </summary>
    public static async Task<SubmissionFile> InspectAsync(string path, string? format, string? charset, CancellationToken ct)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"no file {path}", path);
        string firstLine;
        using (var reader = new StreamReader(path, Encoding.Latin1, detectEncodingFromByteOrderMarks: true))
            firstLine = await reader.ReadLineAsync(ct) ?? "";
        var kind = format?.ToLowerInvariant() ?? (System.IO.Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".json" => "json",
            _ when firstLine.TrimStart('\uFEFF', '"').StartsWith("STRUCTURE", StringComparison.OrdinalIgnoreCase) => "sdmx",
            _ => "csv",
        });
        var type = kind switch
        {
            "json" => "application/json",
            "sdmx" => SdmxCsv,
            "csv" => "text/csv",
            _ => throw new ArgumentException($"'{format}' is not json, csv or sdmx"),
        };
        if (charset is not null && kind != "json") type += $"; charset={charset}";
        await using var stream = File.OpenRead(path);
        var digest = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
        return new SubmissionFile(path, info.Length, type, digest);
    }
}
