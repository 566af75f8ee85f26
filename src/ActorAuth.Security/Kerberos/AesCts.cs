using System.Security.Cryptography;

namespace ActorAuth.Security.Kerberos;

/// <summary>
/// AES in CBC mode with ciphertext stealing as Kerberos uses it (RFC 3962 §5, CBC-CS3: the last two blocks
/// swapped, the last one truncated), always from a zero IV, for inputs of at least one block. Works in place
/// on an array whose length reaches the input's rounded up to a whole block. Holds only the key (its owner's
/// array, which the owner clears): the rounds run on <see cref="AesBlocks"/>, so a session keeps no cipher context.
/// Not thread-safe.
/// </summary>
internal sealed class AesCts
{
    /// <summary>The AES block length.</summary>
    public const int BlockLength = 16;

    private readonly byte[] _key;

    /// <summary>Keys the cipher with <paramref name="key"/>, which stays the caller's (and is cleared by it).</summary>
    public AesCts(byte[] key) => _key = key;

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
        AesBlocks.EncryptCbc(_key, buffer.AsSpan(0, padded));
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

        AesBlocks.DecryptCbc(_key, buffer.AsSpan(0, padded));
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
        Span<byte> tail = stackalloc byte[BlockLength];
        if (partial)
        {
            AesBlocks.DecryptBlock(_key, stolen, tail);
        }

        lastTwo.Slice(BlockLength, tailLength).CopyTo(lastTwo);
        if (partial)
        {
            tail[tailLength..].CopyTo(lastTwo[tailLength..BlockLength]);
            CryptographicOperations.ZeroMemory(tail);
        }

        stolen.CopyTo(lastTwo[BlockLength..]);
    }
}
