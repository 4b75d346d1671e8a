using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EarlyWarning.ServiceDefaults.Cells;

/// <summary>
/// The identity of a cell: reporting country, period, border point, nationality, category, sex and age group,
/// compared without regard to case. Ingestion identifies the cells a country submits by it, Anonymization the
/// cells it publishes (their own space: a published cell is named by <paramref name="space"/>, so that it never
/// shares an identity with a national cell of the same values). Hashed from length-prefixed parts, so two
/// different cells cannot share an identity by how their texts happen to join.
/// </summary>
public static class CellIdentity
{
    public static Guid Of(string space, string country, DateOnly period, string borderPoint, string nationality, string category, string? sex, string? ageGroup)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        // The national space hashes no prefix: identities given before published cells had their own stay as they were.
        if (space.Length > 0) Append(hash, space);
        Append(hash, country);
        Append(hash, period.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Append(hash, borderPoint);
        Append(hash, nationality);
        Append(hash, category);
        Append(hash, sex);
        Append(hash, ageGroup);
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
