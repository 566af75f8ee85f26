using System.Security.Cryptography;

namespace ActorAuth.Security.Kerberos;

/// <summary>
/// AES in CBC mode with ciphertext stealing as Kerberos uses it (RFC 3962 §5, CBC-CS3: the last two blocks
/// swapped, the last one truncated), always from a zero IV, for inputs of at least one block. Works in place
/// on an array whose length reaches the input's rounded up to a whole block.
/// <para>
/// The transforms are created once: a one-shot <c>Aes.EncryptCbc</c> builds and frees a native context (and
/// allocates) on every call. A CBC transform chains across calls instead, starting each call from the last
/// ciphertext block it handled; XORing that block into the first one cancels it, so every message starts
/// from the zero IV as Kerberos requires.
/// </para>
/// Not thread-safe.
/// </summary>
internal sealed class AesCts : IDisposable
{
    /// <summary>The AES block length.</summary>
    public const int BlockLength = 16;

    private readonly ICryptoTransform _encryptor;
    private readonly ICryptoTransform _decryptor;
    private readonly ICryptoTransform _blockDecryptor;

    // Ciphertext, not secret: the chaining value each CBC transform will start its next call from.
    private readonly byte[] _encryptorChain = new byte[BlockLength];
    private readonly byte[] _decryptorChain = new byte[BlockLength];

    // One decrypted block of the stolen tail; plaintext-derived, cleared after use.
    private readonly byte[] _tail = new byte[BlockLength];

    /// <summary>Keys the cipher. <paramref name="key"/> stays the caller's: the transforms hold their own copy.</summary>
    public AesCts(byte[] key)
    {
        var zeroIv = new byte[BlockLength];
        using Aes aes = Aes.Create();
        aes.Padding = PaddingMode.None;
        aes.Mode = CipherMode.CBC;
        _encryptor = aes.CreateEncryptor(key, zeroIv);
        _decryptor = aes.CreateDecryptor(key, zeroIv);
        aes.Mode = CipherMode.ECB;
        _blockDecryptor = aes.CreateDecryptor(key, null);
    }

    /// <summary>The length of <paramref name="length"/> bytes rounded up to whole blocks: the room the buffer needs.</summary>
    public static int PaddedLength(int length) => (length + BlockLength - 1) & ~(BlockLength - 1);

    /// <summary>
    /// Encrypts <paramref name="buffer"/>[0..<paramref name="length"/>) in place; <paramref name="length"/> is at
    /// least one block and the buffer reaches <see cref="PaddedLength"/>. The bytes past the input are overwritten.
    /// </summary>
    public void Encrypt(byte[] buffer, int length)
    {
        int padded = PaddedLength(length);
        buffer.AsSpan(length, padded - length).Clear();
        Xor(buffer.AsSpan(0, BlockLength), _encryptorChain);
        _encryptor.TransformBlock(buffer, 0, padded, buffer, 0);
        buffer.AsSpan(padded - BlockLength, BlockLength).CopyTo(_encryptorChain);
        if (padded == BlockLength)
        {
            return;
        }

        // CS3: the last (full) block moves before the second-to-last, which keeps only as many bytes as the input's last block had.
        Span<byte> previous = stackalloc byte[BlockLength];
        Span<byte> lastTwo = buffer.AsSpan(padded - (2 * BlockLength), 2 * BlockLength);
        lastTwo[..BlockLength].CopyTo(previous);
        lastTwo[BlockLength..].CopyTo(lastTwo);
        previous.CopyTo(lastTwo[BlockLength..]);
    }

    /// <summary>
    /// Decrypts <paramref name="buffer"/>[0..<paramref name="length"/>) in place; <paramref name="length"/> is at
    /// least one block and the buffer reaches <see cref="PaddedLength"/>. The bytes past the output are zero.
    /// </summary>
    public void Decrypt(byte[] buffer, int length)
    {
        int padded = PaddedLength(length);
        if (padded > BlockLength)
        {
            RestoreCbcTail(buffer, length, padded);
        }

        Span<byte> last = stackalloc byte[BlockLength];
        buffer.AsSpan(padded - BlockLength, BlockLength).CopyTo(last);
        _decryptor.TransformBlock(buffer, 0, padded, buffer, 0);
        Xor(buffer.AsSpan(0, BlockLength), _decryptorChain);
        last.CopyTo(_decryptorChain);
    }

    /// <summary>
    /// Turns the stolen tail back into plain CBC ciphertext. The second-to-last block C* given is the CBC
    /// encryption of the zero-padded last plaintext block; decrypting it gives that block XOR the real
    /// second-to-last ciphertext block, whose first bytes are the truncated last block given and whose rest
    /// therefore shows in the decryption. With both blocks whole again (and back in order), CBC decryption
    /// yields the plaintext followed by zeros.
    /// </summary>
    private void RestoreCbcTail(byte[] buffer, int length, int padded)
    {
        int tailLength = length - (padded - BlockLength);
        Span<byte> lastTwo = buffer.AsSpan(padded - (2 * BlockLength), 2 * BlockLength);
        Span<byte> stolen = stackalloc byte[BlockLength];
        lastTwo[..BlockLength].CopyTo(stolen);
        bool partial = tailLength < BlockLength;
        if (partial)
        {
            _blockDecryptor.TransformBlock(buffer, padded - (2 * BlockLength), BlockLength, _tail, 0);
        }

        lastTwo.Slice(BlockLength, tailLength).CopyTo(lastTwo);
        if (partial)
        {
            _tail.AsSpan(tailLength).CopyTo(lastTwo[tailLength..BlockLength]);
            CryptographicOperations.ZeroMemory(_tail);
        }

        stolen.CopyTo(lastTwo[BlockLength..]);
    }

    private static void Xor(Span<byte> block, ReadOnlySpan<byte> with)
    {
        for (int i = 0; i < BlockLength; i++)
        {
            block[i] ^= with[i];
        }
    }

    /// <summary>Frees the transforms, and with them the key schedules.</summary>
    public void Dispose()
    {
        _encryptor.Dispose();
        _decryptor.Dispose();
        _blockDecryptor.Dispose();
    }
}
