using System.Security.Cryptography;

namespace ActorAuth.Security.Kerberos;

/// <summary>
/// RFC 3961 encryption with one key usage of an AES enctype: Ke and Ki derived once, the plaintext preceded
/// by a 16-byte confounder and encrypted with AES-CTS from a zero IV, followed by a truncated HMAC with Ki.
/// RFC 3962 (HMAC-SHA1-96) MACs the plaintext (confounder included); RFC 8009 MACs the IV and the ciphertext
/// (encrypt-then-MAC, §5), so a forged token fails before anything is decrypted. Works in place on arrays
/// (see <see cref="AesCts"/>). Not thread-safe.
/// </summary>
internal sealed class KerberosCipher : IDisposable
{
    // RFC 8009 §5: the cipher state the HMAC starts with; GSS always encrypts from the zero IV.
    private static readonly byte[] ZeroIv = new byte[AesCts.BlockLength];

    private readonly byte[] _encryptionKey;
    private readonly AesCts _aes;
    private readonly TruncatedHmac _integrity;
    private readonly bool _macCiphertext;

    /// <summary>Derives Ke and Ki of <paramref name="usage"/> from <paramref name="baseKey"/>, which stays the caller's.</summary>
    public KerberosCipher(KerberosEnctype enctype, ReadOnlySpan<byte> baseKey, int usage)
    {
        _encryptionKey = KeyDerivation.Derive(enctype, baseKey, usage, KeyDerivation.Encryption);
        _aes = new AesCts(_encryptionKey);
        _integrity = new TruncatedHmac(enctype.Hash, KeyDerivation.Derive(enctype, baseKey, usage, KeyDerivation.Integrity), enctype.ChecksumLength);
        _macCiphertext = enctype.IsRfc8009;
    }

    /// <summary>Length of the HMAC that follows the ciphertext.</summary>
    public int MacLength => _integrity.Length;

    /// <summary>
    /// Encrypts <paramref name="buffer"/>[0..<paramref name="length"/>) in place: the confounder (already in its
    /// first 16 bytes) and the plaintext. The buffer reaches <see cref="AesCts.PaddedLength"/>; the HMAC goes to
    /// <paramref name="mac"/>.
    /// </summary>
    public void Encrypt(byte[] buffer, int length, Span<byte> mac)
    {
        if (_macCiphertext)
        {
            _aes.Encrypt(buffer, length);
            _integrity.Compute(ZeroIv, buffer.AsSpan(0, length), mac);
        }
        else
        {
            _integrity.Compute(buffer.AsSpan(0, length), default, mac);
            _aes.Encrypt(buffer, length);
        }
    }

    /// <summary>
    /// Decrypts <paramref name="buffer"/>[0..<paramref name="length"/>) in place (confounder first) and checks
    /// <paramref name="mac"/>; false when it does not match. <paramref name="length"/> is at least one block and
    /// the buffer reaches <see cref="AesCts.PaddedLength"/>.
    /// </summary>
    public bool Decrypt(byte[] buffer, int length, ReadOnlySpan<byte> mac)
    {
        if (_macCiphertext)
        {
            if (!_integrity.Verify(ZeroIv, buffer.AsSpan(0, length), mac))
            {
                return false;
            }

            _aes.Decrypt(buffer, length);
            return true;
        }

        _aes.Decrypt(buffer, length);
        return _integrity.Verify(buffer.AsSpan(0, length), default, mac);
    }

    /// <summary>Clears both keys.</summary>
    public void Dispose()
    {
        _integrity.Dispose();
        CryptographicOperations.ZeroMemory(_encryptionKey);
    }
}
