using System.Buffers.Binary;
using System.Security.Cryptography;

namespace ActorAuth.Security.Kerberos;

/// <summary>
/// The cluster-wide replay-cache key of one Kerberos AP-REQ: the first 16 bytes of SHA-256 over the
/// authenticator's ciphertext. A 16-byte value type (two <see cref="ulong"/>s) that compares, hashes and
/// serializes (<see cref="WriteTo"/>, <see cref="Read"/>) without allocating.
/// </summary>
/// <remarks>
/// <para>
/// What MIT hashes (krb5 1.18 and later, src/lib/krb5/rcache/): <c>krb5_rd_req</c> calls <c>k5_rc_store</c> with
/// the AP-REQ's authenticator EncryptedData once ticket and authenticator are decrypted;
/// <c>k5_rc_tag_from_ciphertext</c> (rc_base.c) takes the last <c>krb5_c_crypto_length(etype, CHECKSUM)</c>
/// bytes of the ciphertext (the HMAC trailer: 12 bytes for aes*-sha1, 16 and 24 for the RFC 8009 enctypes), and
/// the file2 type (rc_file2.c) stores the first 12 of them with a timestamp, expiring after the clock skew. The
/// key has <b>no server principal in it</b>: the default <c>dfl:</c> cache is one file per effective uid
/// (<c>krb5_EUID.rcache2</c>) shared by every service of that uid, so a tag seen by one service is a replay for
/// all of them. (Before 1.18 the record held the server and client names, ctime/cusec and a SHA-256 of the
/// ciphertext, in a file per service; the server name there came from the decrypted ticket.)
/// </para>
/// <para>
/// What we hash: the whole authenticator ciphertext (a superset of MIT's trailer, and independent of an enctype
/// table, so an unknown enctype still gets a tag), and nothing else. Not the ticket's realm and sname: they are in
/// the clear and unauthenticated — an acceptor with a keytab and no fixed name (ours: GSS_C_NO_NAME) tries every
/// key and takes the ticket for whichever decrypted it — so a key scoped by them would let a captured AP-REQ with
/// its sname rewritten miss the cluster cache and be accepted by another node. Not the etype or kvno either: they
/// are outside the HMAC too (MIT ignores the kvno, and <c>krb5_c_decrypt</c> takes an etype of 0 as the session
/// key's), so they add nothing that identifies the authenticator. The ciphertext cannot be changed without
/// failing the HMAC. The scope is thus MIT's: the cache of one
/// deployment, shared by every service principal its nodes accept, so a token replayed to another service of the
/// cluster is refused too. 128 bits: a false collision among 10^9 live entries has odds of about 2^-68.
/// </para>
/// </remarks>
public readonly struct ReplayTag : IEquatable<ReplayTag>
{
    /// <summary>The serialized size in bytes.</summary>
    public const int Size = 16;

    private readonly ulong _high;
    private readonly ulong _low;

    /// <summary>A tag from its two halves, big-endian order of the serialized bytes.</summary>
    public ReplayTag(ulong high, ulong low)
    {
        _high = high;
        _low = low;
    }

    /// <summary>
    /// Finds the AP-REQ in a client's context token (<see cref="ApReqReader.TryRead"/>) and computes its tag.
    /// <paramref name="tag"/> is meaningful only when the result is <see cref="ApReqStatus.Found"/>; refuse a
    /// <see cref="ApReqStatus.Malformed"/> token rather than let it skip the check. To log the server principal as
    /// well, call <see cref="ApReqReader.TryRead"/>, then <see cref="Of"/> and <see cref="ApReq.FormatServerPrincipal"/>.
    /// </summary>
    public static ApReqStatus TryCompute(ReadOnlySpan<byte> token, out ReplayTag tag)
    {
        ApReqStatus status = ApReqReader.TryRead(token, out ApReq apReq);
        tag = status == ApReqStatus.Found ? Of(apReq.AuthenticatorCipher) : default;
        return status;
    }

    /// <summary>The tag of an authenticator ciphertext (<see cref="ApReq.AuthenticatorCipher"/>).</summary>
    public static ReplayTag Of(ReadOnlySpan<byte> authenticatorCipher)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(authenticatorCipher, digest);
        return Read(digest);
    }

    /// <summary>Reads a tag from the first <see cref="Size"/> bytes of <paramref name="source"/> (shorter: <see cref="ArgumentOutOfRangeException"/>).</summary>
    public static ReplayTag Read(ReadOnlySpan<byte> source) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(source), BinaryPrimitives.ReadUInt64BigEndian(source[8..]));

    /// <summary>Writes the <see cref="Size"/> bytes of the tag to the start of <paramref name="destination"/>.</summary>
    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _high);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _low);
    }

    /// <summary>The first 8 serialized bytes, big-endian.</summary>
    public ulong High => _high;

    /// <summary>The last 8 serialized bytes, big-endian.</summary>
    public ulong Low => _low;

    /// <inheritdoc />
    public bool Equals(ReplayTag other) => _high == other._high && _low == other._low;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ReplayTag other && Equals(other);

    /// <summary>Randomized per process (<see cref="HashCode"/>), so clients cannot grind colliding buckets.</summary>
    public override int GetHashCode() => HashCode.Combine(_high, _low);

    /// <summary>The 32 lower-case hex digits of the serialized bytes.</summary>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Size];
        WriteTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>Equal tags.</summary>
    public static bool operator ==(ReplayTag left, ReplayTag right) => left.Equals(right);

    /// <summary>Different tags.</summary>
    public static bool operator !=(ReplayTag left, ReplayTag right) => !left.Equals(right);
}
