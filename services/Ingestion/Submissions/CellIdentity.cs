using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using EarlyWarning.Contracts;

namespace EarlyWarning.Ingestion.Submissions;

/// <summary>
/// The identity of a cell as published: reporting country, week, border point, nationality, category, sex and
/// age group, compared without regard to case (as duplicate rows are). Hashed from length-prefixed parts, so two
/// different cells cannot share an identity by how their texts happen to join.
/// </summary>
internal static class CellIdentity
{
    public static Guid Of(string country, RawObservation row)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(hash, country);
        Append(hash, row.Period.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Append(hash, row.BorderPoint);
        Append(hash, row.Nationality);
        Append(hash, row.Category);
        Append(hash, row.Sex);
        Append(hash, row.AgeGroup);
        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return new Guid(digest[..16]);
    }

    private static void Append(IncrementalHash hash, string? part)
    {
        Span<byte> length = stackalloc byte[4];
        if (part is null)
        {
            BinaryPrimitives.WriteInt32BigEndian(length, -1);
            hash.AppendData(length);
            return;
        }
        var bytes = Encoding.UTF8.GetBytes(part.ToUpperInvariant());
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }
}
