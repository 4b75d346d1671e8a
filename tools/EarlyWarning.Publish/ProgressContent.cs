using System.Net;

namespace EarlyWarning.Publish;

/// <summary>Streams a file as the request body (never held in memory) and reports the bytes sent.</summary>
internal sealed class ProgressContent(string path, IProgress<long> sent) : HttpContent
{
    private const int Chunk = 81920;

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, Chunk, useAsync: true);
        var buffer = new byte[Chunk];
        long total = 0;
        int read;
        while ((read = await file.ReadAsync(buffer, ct)) > 0)
        {
            await stream.WriteAsync(buffer.AsMemory(0, read), ct);
            sent.Report(total += read);
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = new FileInfo(path).Length;
        return true;
    }
}
