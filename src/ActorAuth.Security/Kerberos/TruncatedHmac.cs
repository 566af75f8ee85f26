using System.Security.Cryptography;

namespace ActorAuth.Security.Kerberos;

/// <summary>
/// A keyed HMAC truncated to an enctype's checksum length: the checksum of RFC 3961 (with a Kc) and the
/// integrity tag after the ciphertext (with a Ki). Over one or two pieces of data, so the callers need not copy
/// them together. The hash context is created once and reset after every use; nothing is allocated per call.
/// Owns its key array and clears it on dispose. Not thread-safe.
/// </summary>
internal sealed class TruncatedHmac : IDisposable
{
    private const int MaxHashLength = 64;
    private readonly byte[] _key;
    private readonly IncrementalHash _hmac;

    /// <summary>Takes ownership of <paramref name="key"/>.</summary>
    public TruncatedHmac(HashAlgorithmName hash, byte[] key, int length)
    {
        _key = key;
        _hmac = IncrementalHash.CreateHMAC(hash, key);
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
        _hmac.AppendData(first);
        _hmac.AppendData(second);
        _hmac.TryGetHashAndReset(full, out _);
    }

    /// <summary>Frees the hash context and clears the key.</summary>
    public void Dispose()
    {
        _hmac.Dispose();
        CryptographicOperations.ZeroMemory(_key);
    }
}
