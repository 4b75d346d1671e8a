using System.Security.Cryptography;
using System.Text;

namespace EarlyWarning.Alerting.Delivery;

/// <summary>
/// Webhook secrets at rest: AES-256-GCM under a key derived (HKDF-SHA256) from Delivery:Webhooks:SecretKey, so that
/// a copy of the database does not let anyone sign alerts a receiver would trust. A stored value without the
/// version prefix is a secret stored before encryption, read as it is.
/// </summary>
internal sealed class WebhookSecretProtector(string configuredKey)
{
    private const string Prefix = "v1:";
    private const int NonceBytes = 12, TagBytes = 16;
    private readonly byte[] _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(configuredKey), 32,
        info: Encoding.UTF8.GetBytes("earlywarning webhook secrets v1"));

    public string Protect(string secret)
    {
        var plain = Encoding.UTF8.GetBytes(secret);
        var sealedBytes = new byte[NonceBytes + plain.Length + TagBytes];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagBytes);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceBytes, plain.Length), sealedBytes.AsSpan(NonceBytes + plain.Length));
        return Prefix + Convert.ToBase64String(sealedBytes);
    }

    /// <exception cref="CryptographicException">The value was sealed under another key, or altered.</exception>
    public string Unprotect(string stored)
    {
        if (!stored.StartsWith(Prefix, StringComparison.Ordinal)) return stored;
        var sealedBytes = Convert.FromBase64String(stored[Prefix.Length..]);
        var length = sealedBytes.Length - NonceBytes - TagBytes;
        var plain = new byte[length];
        using var aes = new AesGcm(_key, TagBytes);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes, length), sealedBytes.AsSpan(NonceBytes + length), plain);
        return Encoding.UTF8.GetString(plain);
    }
}
