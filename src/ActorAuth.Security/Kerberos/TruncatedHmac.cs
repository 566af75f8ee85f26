using System.Security.Cryptography;

namespace ActorAuth.Security.Kerberos;

/// <summary>
/// A keyed HMAC truncated to an enctype's checksum length: the checksum of RFC 3961 (with a Kc) and the
/// integrity tag after the ciphertext (with a Ki), over one or two pieces of data. Each call is one one-shot HMAC
/// over the raw key: no hash context lives between calls (an OpenSSL HMAC context per key would cost a session
/// ~1 KB each, and a session has several). Two pieces are joined in scratch first (stack, or a pooled array
/// cleared after). Owns its key array and clears it on dispose. Not thread-safe.
/// </summary>
internal sealed class TruncatedHmac : IDisposable
{
    private const int MaxHashLength = 64;
    private const int StackLimit = 1024;
    private readonly byte[] _key;
    private readonly HashAlgorithmName _hash;

    /// <summary>Takes ownership of <paramref name="key"/>.</summary>
    public TruncatedHmac(HashAlgorithmName hash, byte[] key, int length)
    {
        _key = key;
        _hash = hash;
        Length = length;
    }

    /// <summary>The length of the truncated output.</summary>
    public int Length { get; }

    /// <summary>Writes the first <see cref="Length"/> bytes of HMAC(<paramref name="first"/> | <paramref name="second"/>).</summary>
    public void Compute(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, Span<byte> destination)
    {
        Span<byte> full = stackalloc byte[MaxHashLength];
        Hash(first, second, full);
        full[..Length].CopyTo(destination);
        CryptographicOperations.ZeroMemory(full);
    }

    /// <summary>True when <paramref name="expected"/> is the truncated HMAC of the data; compared in constant time.</summary>
    public bool Verify(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> expected)
    {
        if (expected.Length != Length)
        {
            return false;
        }

        Span<byte> full = stackalloc byte[MaxHashLength];
        Hash(first, second, full);
        bool equal = CryptographicOperations.FixedTimeEquals(full[..Length], expected);
        CryptographicOperations.ZeroMemory(full);
        return equal;
    }

    private void Hash(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, Span<byte> full)
    {
        if (second.IsEmpty)
        {
            CryptographicOperations.HmacData(_hash, _key, first, full);
            return;
        }

        int length = first.Length + second.Length;
        byte[]? rented = length > StackLimit ? System.Buffers.ArrayPool<byte>.Shared.Rent(length) : null;
        Span<byte> joined = rented is null ? stackalloc byte[StackLimit] : rented;
        joined = joined[..length];
        first.CopyTo(joined);
        second.CopyTo(joined[first.Length..]);
        CryptographicOperations.HmacData(_hash, _key, joined, full);
        CryptographicOperations.ZeroMemory(joined);
        if (rented is not null)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Clears the key.</summary>
    public void Dispose() => CryptographicOperations.ZeroMemory(_key);
}
