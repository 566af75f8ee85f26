using System.Security.Cryptography;

namespace ActorAuth.Security.Kerberos;

/// <summary>
/// The AES encryption types RFC 4121 message protection is done with in managed code: the two of RFC 3962
/// (AES-CTS with HMAC-SHA1-96, keys by RFC 3961's DK) and the two of RFC 8009 (AES-CTS with HMAC-SHA2,
/// encrypt-then-MAC, keys by KDF-HMAC-SHA2). Every one has a 16-byte confounder and AES's 16-byte block.
/// </summary>
internal sealed class KerberosEnctype
{
    /// <summary>aes128-cts-hmac-sha1-96 (RFC 3962).</summary>
    public static KerberosEnctype Aes128CtsHmacSha196 { get; } = new(17, "aes128-cts-hmac-sha1-96", 16, 12, 16, 16, HashAlgorithmName.SHA1, isRfc8009: false);

    /// <summary>aes256-cts-hmac-sha1-96 (RFC 3962).</summary>
    public static KerberosEnctype Aes256CtsHmacSha196 { get; } = new(18, "aes256-cts-hmac-sha1-96", 32, 12, 32, 32, HashAlgorithmName.SHA1, isRfc8009: false);

    /// <summary>aes128-cts-hmac-sha256-128 (RFC 8009).</summary>
    public static KerberosEnctype Aes128CtsHmacSha256128 { get; } = new(19, "aes128-cts-hmac-sha256-128", 16, 16, 16, 16, HashAlgorithmName.SHA256, isRfc8009: true);

    /// <summary>aes256-cts-hmac-sha384-192 (RFC 8009).</summary>
    public static KerberosEnctype Aes256CtsHmacSha384192 { get; } = new(20, "aes256-cts-hmac-sha384-192", 32, 24, 32, 24, HashAlgorithmName.SHA384, isRfc8009: true);

    /// <summary>The confounder prepended to every plaintext, one AES block.</summary>
    public const int ConfounderLength = 16;

    private KerberosEnctype(int id, string name, int keyLength, int checksumLength, int encryptionKeyLength, int integrityKeyLength, HashAlgorithmName hash, bool isRfc8009)
    {
        Id = id;
        Name = name;
        KeyLength = keyLength;
        ChecksumLength = checksumLength;
        EncryptionKeyLength = encryptionKeyLength;
        IntegrityKeyLength = integrityKeyLength;
        Hash = hash;
        IsRfc8009 = isRfc8009;
    }

    /// <summary>The enctype number (RFC 3961 §8).</summary>
    public int Id { get; }

    /// <summary>MIT's name for it.</summary>
    public string Name { get; }

    /// <summary>Length of the base key (the session key or subkey), and of the AES key.</summary>
    public int KeyLength { get; }

    /// <summary>Length of the truncated HMAC: the checksum, and the integrity tag after the ciphertext.</summary>
    public int ChecksumLength { get; }

    /// <summary>Length of the derived encryption key Ke.</summary>
    public int EncryptionKeyLength { get; }

    /// <summary>Length of the derived integrity and checksum keys Ki and Kc.</summary>
    public int IntegrityKeyLength { get; }

    /// <summary>The HMAC's hash: SHA-1 for RFC 3962, SHA-256 or SHA-384 for RFC 8009.</summary>
    public HashAlgorithmName Hash { get; }

    /// <summary>RFC 8009: KDF-HMAC-SHA2 keys, and the integrity tag covers the IV and the ciphertext rather than the plaintext.</summary>
    public bool IsRfc8009 { get; }

    /// <summary>The enctype numbered <paramref name="id"/>, or null when it is not one of the four.</summary>
    public static KerberosEnctype? Find(int id) => id switch
    {
        17 => Aes128CtsHmacSha196,
        18 => Aes256CtsHmacSha196,
        19 => Aes128CtsHmacSha256128,
        20 => Aes256CtsHmacSha384192,
        _ => null,
    };

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Id})";
}
