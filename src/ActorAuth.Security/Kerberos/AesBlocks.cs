using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using X86Aes = System.Runtime.Intrinsics.X86.Aes;

namespace ActorAuth.Security.Kerberos;

/// <summary>
/// AES-CBC with a zero IV over whole blocks, and single-block AES decryption, on the CPU's AES instructions (AES-NI),
/// from the raw key every call: the round keys are expanded on the stack (tens of nanoseconds) and cleared after,
/// so a session holds only its 16- or 32-byte keys — no native cipher context, which cost ~1 KB each and
/// several per session. Where the CPU has no AES-NI, .NET's AES does the same through OpenSSL (allocating per call).
/// </summary>
internal static class AesBlocks
{
    private const int MaxRounds = 14;

    /// <summary>True where the AES instructions are used.</summary>
    public static bool IsAccelerated => X86Aes.IsSupported && Sse2.IsSupported;

    /// <summary>CBC-encrypts <paramref name="data"/> (whole blocks) in place from a zero IV.</summary>
    public static void EncryptCbc(ReadOnlySpan<byte> key, Span<byte> data)
    {
        if (!IsAccelerated)
        {
            using System.Security.Cryptography.Aes aes = Fallback(key);
            aes.EncryptCbc(data, new byte[16], data, System.Security.Cryptography.PaddingMode.None);
            return;
        }

        Span<Vector128<byte>> rk = stackalloc Vector128<byte>[MaxRounds + 1];
        int rounds = Expand(key, rk);
        Vector128<byte> chain = Vector128<byte>.Zero;
        for (int offset = 0; offset < data.Length; offset += 16)
        {
            Span<byte> block = data.Slice(offset, 16);
            Vector128<byte> x = Vector128.Create((ReadOnlySpan<byte>)block) ^ chain ^ rk[0];
            for (int r = 1; r < rounds; r++)
            {
                x = X86Aes.Encrypt(x, rk[r]);
            }

            chain = X86Aes.EncryptLast(x, rk[rounds]);
            chain.CopyTo(block);
        }

        rk.Clear();
    }

    /// <summary>CBC-decrypts <paramref name="data"/> (whole blocks) in place from a zero IV.</summary>
    public static void DecryptCbc(ReadOnlySpan<byte> key, Span<byte> data)
    {
        if (!IsAccelerated)
        {
            using System.Security.Cryptography.Aes aes = Fallback(key);
            aes.DecryptCbc(data, new byte[16], data, System.Security.Cryptography.PaddingMode.None);
            return;
        }

        Span<Vector128<byte>> dk = stackalloc Vector128<byte>[MaxRounds + 1];
        int rounds = ExpandForDecryption(key, dk);
        Vector128<byte> chain = Vector128<byte>.Zero;
        for (int offset = 0; offset < data.Length; offset += 16)
        {
            Span<byte> block = data.Slice(offset, 16);
            Vector128<byte> cipher = Vector128.Create((ReadOnlySpan<byte>)block);
            (DecryptBlock(cipher, dk, rounds) ^ chain).CopyTo(block);
            chain = cipher;
        }

        dk.Clear();
    }

    /// <summary>Decrypts one block (ECB) from <paramref name="source"/> into <paramref name="destination"/>.</summary>
    public static void DecryptBlock(ReadOnlySpan<byte> key, ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (!IsAccelerated)
        {
            using System.Security.Cryptography.Aes aes = Fallback(key);
            aes.DecryptEcb(source[..16], destination, System.Security.Cryptography.PaddingMode.None);
            return;
        }

        Span<Vector128<byte>> dk = stackalloc Vector128<byte>[MaxRounds + 1];
        int rounds = ExpandForDecryption(key, dk);
        DecryptBlock(Vector128.Create(source[..16]), dk, rounds).CopyTo(destination);
        dk.Clear();
    }

    /// <summary>.NET's AES (OpenSSL) keyed with <paramref name="key"/>, for CPUs without AES-NI.</summary>
    private static System.Security.Cryptography.Aes Fallback(ReadOnlySpan<byte> key)
    {
        var aes = System.Security.Cryptography.Aes.Create();
        aes.SetKey(key);
        return aes;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> DecryptBlock(Vector128<byte> x, Span<Vector128<byte>> dk, int rounds)
    {
        x ^= dk[0];
        for (int r = 1; r < rounds; r++)
        {
            x = X86Aes.Decrypt(x, dk[r]);
        }

        return X86Aes.DecryptLast(x, dk[rounds]);
    }

    /// <summary>The equivalent inverse cipher's schedule (FIPS 197 §5.3.5): the encryption keys reversed, the inner ones through InvMixColumns.</summary>
    private static int ExpandForDecryption(ReadOnlySpan<byte> key, Span<Vector128<byte>> dk)
    {
        Span<Vector128<byte>> rk = stackalloc Vector128<byte>[MaxRounds + 1];
        int rounds = Expand(key, rk);
        dk[0] = rk[rounds];
        for (int r = 1; r < rounds; r++)
        {
            dk[r] = X86Aes.InverseMixColumns(rk[rounds - r]);
        }

        dk[rounds] = rk[0];
        rk.Clear();
        return rounds;
    }

    /// <summary>Expands a 128- or 256-bit key; returns the number of rounds (10 or 14).</summary>
    private static int Expand(ReadOnlySpan<byte> key, Span<Vector128<byte>> rk)
    {
        if (key.Length == 16)
        {
            rk[0] = Vector128.Create(key);
            rk[1] = Next128(rk[0], X86Aes.KeygenAssist(rk[0], 0x01));
            rk[2] = Next128(rk[1], X86Aes.KeygenAssist(rk[1], 0x02));
            rk[3] = Next128(rk[2], X86Aes.KeygenAssist(rk[2], 0x04));
            rk[4] = Next128(rk[3], X86Aes.KeygenAssist(rk[3], 0x08));
            rk[5] = Next128(rk[4], X86Aes.KeygenAssist(rk[4], 0x10));
            rk[6] = Next128(rk[5], X86Aes.KeygenAssist(rk[5], 0x20));
            rk[7] = Next128(rk[6], X86Aes.KeygenAssist(rk[6], 0x40));
            rk[8] = Next128(rk[7], X86Aes.KeygenAssist(rk[7], 0x80));
            rk[9] = Next128(rk[8], X86Aes.KeygenAssist(rk[8], 0x1B));
            rk[10] = Next128(rk[9], X86Aes.KeygenAssist(rk[9], 0x36));
            return 10;
        }

        if (key.Length != 32)
        {
            throw new ArgumentException($"An AES key is 16 or 32 bytes here, not {key.Length}.", nameof(key));
        }

        rk[0] = Vector128.Create(key[..16]);
        rk[1] = Vector128.Create(key[16..]);
        rk[2] = Next128(rk[0], X86Aes.KeygenAssist(rk[1], 0x01));
        rk[3] = Odd256(rk[1], rk[2]);
        rk[4] = Next128(rk[2], X86Aes.KeygenAssist(rk[3], 0x02));
        rk[5] = Odd256(rk[3], rk[4]);
        rk[6] = Next128(rk[4], X86Aes.KeygenAssist(rk[5], 0x04));
        rk[7] = Odd256(rk[5], rk[6]);
        rk[8] = Next128(rk[6], X86Aes.KeygenAssist(rk[7], 0x08));
        rk[9] = Odd256(rk[7], rk[8]);
        rk[10] = Next128(rk[8], X86Aes.KeygenAssist(rk[9], 0x10));
        rk[11] = Odd256(rk[9], rk[10]);
        rk[12] = Next128(rk[10], X86Aes.KeygenAssist(rk[11], 0x20));
        rk[13] = Odd256(rk[11], rk[12]);
        rk[14] = Next128(rk[12], X86Aes.KeygenAssist(rk[13], 0x40));
        return 14;
    }

    /// <summary>One step of the schedule: the previous key's words XOR-accumulated, then the assist's word 3 (RotWord/SubWord/Rcon) in every word.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Next128(Vector128<byte> previous, Vector128<byte> assist) =>
        Accumulate(previous) ^ Sse2.Shuffle(assist.AsInt32(), 0xFF).AsByte();

    /// <summary>AES-256's odd round keys: SubWord of the new key's word 3 (no rotation, no Rcon: the assist's word 2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Odd256(Vector128<byte> previous, Vector128<byte> latest) =>
        Accumulate(previous) ^ Sse2.Shuffle(X86Aes.KeygenAssist(latest, 0x00).AsInt32(), 0xAA).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Accumulate(Vector128<byte> k)
    {
        k ^= Sse2.ShiftLeftLogical128BitLane(k, 4);
        k ^= Sse2.ShiftLeftLogical128BitLane(k, 4);
        return k ^ Sse2.ShiftLeftLogical128BitLane(k, 4);
    }
}
