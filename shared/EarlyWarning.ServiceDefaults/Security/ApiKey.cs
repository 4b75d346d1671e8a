using System.Security.Cryptography;
using System.Text;

namespace EarlyWarning.ServiceDefaults.Security;

/// <summary>
/// An API key as given to its holder once: "ew_&lt;key id&gt;_&lt;secret&gt;". Only the key id, a random
/// salt and SHA-256(salt ‖ secret) are stored. The secret is 256 random bits, so a fast hash is
/// enough (slow hashes are for guessable passwords) and checking a key costs microseconds per request.
/// </summary>
public sealed record ApiKey(Guid KeyId, string Secret)
{
    private const string Prefix = "ew_";
    public const string Header = "X-Api-Key";

    public override string ToString() => $"{Prefix}{KeyId:N}_{Secret}";

    public static ApiKey Generate() =>
        new(Guid.NewGuid(), Base64Url(RandomNumberGenerator.GetBytes(32)));

    public static bool TryParse(string? text, out ApiKey key)
    {
        key = null!;
        if (text is null || !text.StartsWith(Prefix, StringComparison.Ordinal) || text.Length < Prefix.Length + 34) return false;
        var id = text.AsSpan(Prefix.Length, 32);
        if (text[Prefix.Length + 32] != '_' || !Guid.TryParseExact(id, "N", out var keyId)) return false;
        var secret = text[(Prefix.Length + 33)..];
        if (secret.Length == 0) return false;
        key = new ApiKey(keyId, secret);
        return true;
    }

    public static byte[] NewSalt() => RandomNumberGenerator.GetBytes(16);

    public byte[] Hash(byte[] salt) => SHA256.HashData([.. salt, .. Encoding.UTF8.GetBytes(Secret)]);

    /// <summary>Compares in constant time, so timing tells nothing about how much of a guess was right.</summary>
    public bool Matches(byte[] salt, byte[] storedHash) => CryptographicOperations.FixedTimeEquals(Hash(salt), storedHash);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
