namespace ActorAuth.Security.Kerberos;

/// <summary>
/// The keys one direction of an RFC 4121 context protects its tokens with, derived once from the protection
/// key (§2): the sealing usage's Ke and Ki for sealed wrap tokens and its Kc for sign-only ones (MIT and
/// RFC 4121 checksum a sign-only wrap token with the sealing usage), and the signing usage's Kc for MIC tokens.
/// Dispose clears every derived key. Not thread-safe.
/// </summary>
internal sealed class Rfc4121Keys : IDisposable
{
    /// <summary>Derives the keys of the usages <paramref name="sealUsage"/> and <paramref name="signUsage"/>; <paramref name="baseKey"/> stays the caller's.</summary>
    public Rfc4121Keys(KerberosEnctype enctype, ReadOnlySpan<byte> baseKey, int sealUsage, int signUsage)
    {
        Seal = new KerberosCipher(enctype, baseKey, sealUsage);
        WrapChecksum = Checksum(enctype, baseKey, sealUsage);
        MicChecksum = Checksum(enctype, baseKey, signUsage);
    }

    /// <summary>Encryption of sealed wrap tokens.</summary>
    public KerberosCipher Seal { get; }

    /// <summary>The checksum of sign-only wrap tokens.</summary>
    public TruncatedHmac WrapChecksum { get; }

    /// <summary>The checksum of MIC tokens.</summary>
    public TruncatedHmac MicChecksum { get; }

    private static TruncatedHmac Checksum(KerberosEnctype enctype, ReadOnlySpan<byte> baseKey, int usage) =>
        new(enctype.Hash, KeyDerivation.Derive(enctype, baseKey, usage, KeyDerivation.Checksum), enctype.ChecksumLength);

    /// <summary>Clears every derived key.</summary>
    public void Dispose()
    {
        Seal.Dispose();
        WrapChecksum.Dispose();
        MicChecksum.Dispose();
    }
}
