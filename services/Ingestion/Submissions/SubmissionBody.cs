using System.Security.Cryptography;

namespace EarlyWarning.Ingestion.Submissions;

/// <summary>
/// The request body as the readers see it: refused (413) the moment it passes the byte limit, so a huge
/// upload is never read to its end; and hashed on the way through, so an idempotent re-post can be
/// compared with the original without keeping either.
/// </summary>
internal sealed class SubmissionBody(Stream inner, long maximumBytes) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    public long BytesRead { get; private set; }

    /// <summary>Adds what else defines the submission's content (country, media type) to the hash.</summary>
    public void AddToHash(string text) => _hash.AppendData(System.Text.Encoding.UTF8.GetBytes(text + "\n"));

    public byte[] Hash() => _hash.GetCurrentHash();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        var read = await inner.ReadAsync(buffer, ct);
        Count(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        Count(buffer.AsSpan(offset, read));
        return read;
    }

    private void Count(ReadOnlySpan<byte> bytes)
    {
        BytesRead += bytes.Length;
        if (BytesRead > maximumBytes)
            throw TooLarge(maximumBytes);
        _hash.AppendData(bytes);
    }

    public static SubmissionRefusedException TooLarge(long maximumBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, "Submission too large",
            new SubmissionError(0, "body", $"is larger than {maximumBytes} bytes (Ingestion:Limits:MaximumBodyBytes); split the file"));

    protected override void Dispose(bool disposing)
    {
        if (disposing) _hash.Dispose();
        base.Dispose(disposing);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
