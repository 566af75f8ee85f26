using System.Buffers.Binary;
using System.Security.Cryptography;

namespace ActorAuth.Security.Kerberos;

/// <summary>
/// Derives the per-usage keys of RFC 3961 §5.1 from a base key: Kc (checksum), Ke (encryption) and Ki
/// (integrity), named by the usage number and a kind octet. RFC 3962's enctypes use DK (n-fold of the
/// constant, then AES-encrypted repeatedly); RFC 8009's use KDF-HMAC-SHA2 (SP 800-108 counter mode, one round).
/// Runs once per session, so it may allocate; every intermediate key is cleared.
/// </summary>
internal static class KeyDerivation
{
    /// <summary>The kind octet of a checksum key Kc.</summary>
    public const byte Checksum = 0x99;

    /// <summary>The kind octet of an encryption key Ke.</summary>
    public const byte Encryption = 0xAA;

    /// <summary>The kind octet of an integrity key Ki.</summary>
    public const byte Integrity = 0x55;

    private const int BlockLength = 16;

    /// <summary>
    /// The key of <paramref name="kind"/> for <paramref name="usage"/> from <paramref name="baseKey"/>: a new array,
    /// the caller's to clear.
    /// </summary>
    public static byte[] Derive(KerberosEnctype enctype, ReadOnlySpan<byte> baseKey, int usage, byte kind)
    {
        Span<byte> constant = stackalloc byte[5];
        BinaryPrimitives.WriteInt32BigEndian(constant, usage);
        constant[4] = kind;
        if (!enctype.IsRfc8009)
        {
            return DeriveRfc3961(baseKey, constant, enctype.KeyLength);
        }

        int length = kind == Encryption ? enctype.EncryptionKeyLength : enctype.IntegrityKeyLength;
        return DeriveRfc8009(enctype.Hash, baseKey, constant, length);
    }

    /// <summary>
    /// RFC 3961 §5.3 DK for AES (random-to-key is the identity): the constant n-folded to one block, then
    /// encrypted again and again, each output the next input, until the key's length is filled. Encrypting one
    /// block with AES-CTS and a zero IV is AES-ECB of that block.
    /// </summary>
    private static byte[] DeriveRfc3961(ReadOnlySpan<byte> baseKey, ReadOnlySpan<byte> constant, int length)
    {
        var key = new byte[length];
        Span<byte> block = stackalloc byte[BlockLength];
        Span<byte> next = stackalloc byte[BlockLength];
        NFold(constant, block);
        for (int offset = 0; offset < length; offset += BlockLength)
        {
            // One block of CBC from the zero IV is ECB; on AES-NI, with no cipher object made per derivation.
            block.CopyTo(next);
            AesBlocks.EncryptCbc(baseKey, next);
            next[..Math.Min(BlockLength, length - offset)].CopyTo(key.AsSpan(offset));
            next.CopyTo(block);
        }

        CryptographicOperations.ZeroMemory(block);
        CryptographicOperations.ZeroMemory(next);
        return key;
    }

    /// <summary>
    /// RFC 8009 §3 KDF-HMAC-SHA2(key, label, k) = k-truncate(HMAC(key, 00000001 | label | 00 | k)), with k the
    /// output length in bits; every key needed is shorter than one HMAC output, so one round suffices.
    /// </summary>
    private static byte[] DeriveRfc8009(HashAlgorithmName hash, ReadOnlySpan<byte> baseKey, ReadOnlySpan<byte> label, int length)
    {
        Span<byte> input = stackalloc byte[4 + 5 + 1 + 4];
        BinaryPrimitives.WriteInt32BigEndian(input, 1);
        label.CopyTo(input[4..]);
        input[9] = 0;
        BinaryPrimitives.WriteInt32BigEndian(input[10..], length * 8);

        Span<byte> output = stackalloc byte[64];
        int written = CryptographicOperations.HmacData(hash, baseKey, input, output);
        var key = output[..Math.Min(length, written)].ToArray();
        CryptographicOperations.ZeroMemory(output);
        return key;
    }

    /// <summary>
    /// RFC 3961 §5.1 n-fold: the input repeated to the least common multiple of both lengths, each repetition
    /// rotated 13 bits further right than the one before, then cut into output-sized pieces summed with
    /// one's-complement (end-around carry) addition.
    /// </summary>
    public static void NFold(ReadOnlySpan<byte> input, Span<byte> output)
    {
        int inLength = input.Length;
        int outLength = output.Length;
        int lcm = inLength / Gcd(inLength, outLength) * outLength;
        output.Clear();

        // Big-endian one's-complement sum: add each piece from its last byte, keep the carry for the next piece.
        int carry = 0;
        for (int index = lcm - 1; index >= 0; index--)
        {
            int sum = RotatedByte(input, index / inLength, index % inLength) + output[index % outLength] + carry;
            output[index % outLength] = (byte)sum;
            carry = sum >> 8;
        }

        // The end-around carry, until no carry remains.
        while (carry != 0)
        {
            for (int index = outLength - 1; index >= 0 && carry != 0; index--)
            {
                int sum = output[index] + carry;
                output[index] = (byte)sum;
                carry = sum >> 8;
            }
        }
    }

    /// <summary>Byte <paramref name="index"/> of the input rotated right by 13 × <paramref name="repetition"/> bits.</summary>
    private static int RotatedByte(ReadOnlySpan<byte> input, int repetition, int index)
    {
        int bits = input.Length * 8;
        int rotation = (int)(13L * repetition % bits);
        int value = 0;
        for (int bit = 0; bit < 8; bit++)
        {
            // Bit b of the rotated string (from the most significant) is bit b - rotation of the input.
            int source = ((index * 8) + bit - rotation + bits) % bits;
            int set = (input[source / 8] >> (7 - (source % 8))) & 1;
            value |= set << (7 - bit);
        }

        return value;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
