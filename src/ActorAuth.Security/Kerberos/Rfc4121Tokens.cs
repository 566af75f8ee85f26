using System.Buffers.Binary;

namespace ActorAuth.Security.Kerberos;

/// <summary>
/// The layout of RFC 4121 §4.2.6 per-message tokens and §2's key usages:
/// <code>
/// wrap: 05 04 | flags | FF | EC (2, big-endian) | RRC (2, big-endian) | SND_SEQ (8, big-endian)
/// MIC:  04 04 | flags | FF FF FF FF FF                                | SND_SEQ (8, big-endian)
/// </code>
/// </summary>
internal static class Rfc4121Tokens
{
    /// <summary>The length of a wrap or MIC token header.</summary>
    public const int HeaderLength = 16;

    /// <summary>TOK_ID of a wrap token.</summary>
    public const ushort WrapTokenId = 0x0504;

    /// <summary>TOK_ID of a MIC token.</summary>
    public const ushort MicTokenId = 0x0404;

    /// <summary>Flag: the sender is the context acceptor.</summary>
    public const byte SentByAcceptor = 0x01;

    /// <summary>Flag: the wrap token is encrypted.</summary>
    public const byte Sealed = 0x02;

    /// <summary>Flag: the token is protected with the acceptor's subkey.</summary>
    public const byte AcceptorSubkey = 0x04;

    /// <summary>KG-USAGE-ACCEPTOR-SEAL.</summary>
    public const int AcceptorSeal = 22;

    /// <summary>KG-USAGE-ACCEPTOR-SIGN.</summary>
    public const int AcceptorSign = 23;

    /// <summary>KG-USAGE-INITIATOR-SEAL.</summary>
    public const int InitiatorSeal = 24;

    /// <summary>KG-USAGE-INITIATOR-SIGN.</summary>
    public const int InitiatorSign = 25;

    /// <summary>Writes a wrap token header.</summary>
    public static void WriteWrapHeader(Span<byte> header, byte flags, ushort extraCount, ushort rightRotationCount, ulong sequenceNumber)
    {
        BinaryPrimitives.WriteUInt16BigEndian(header, WrapTokenId);
        header[2] = flags;
        header[3] = 0xFF;
        BinaryPrimitives.WriteUInt16BigEndian(header[4..], extraCount);
        BinaryPrimitives.WriteUInt16BigEndian(header[6..], rightRotationCount);
        BinaryPrimitives.WriteUInt64BigEndian(header[8..], sequenceNumber);
    }

    /// <summary>Writes a MIC token header.</summary>
    public static void WriteMicHeader(Span<byte> header, byte flags, ulong sequenceNumber)
    {
        BinaryPrimitives.WriteUInt16BigEndian(header, MicTokenId);
        header[2] = flags;
        header[3..8].Fill(0xFF);
        BinaryPrimitives.WriteUInt64BigEndian(header[8..], sequenceNumber);
    }

    /// <summary>True when <paramref name="token"/> starts with a wrap token header (TOK_ID and filler).</summary>
    public static bool IsWrapHeader(ReadOnlySpan<byte> token) =>
        token.Length >= HeaderLength && BinaryPrimitives.ReadUInt16BigEndian(token) == WrapTokenId && token[3] == 0xFF;

    /// <summary>True when <paramref name="token"/> starts with a MIC token header (TOK_ID and the five filler bytes).</summary>
    public static bool IsMicHeader(ReadOnlySpan<byte> token) =>
        token.Length >= HeaderLength && BinaryPrimitives.ReadUInt16BigEndian(token) == MicTokenId && !token[3..8].ContainsAnyExcept((byte)0xFF);

    /// <summary>
    /// Copies a wrap token's body (what follows the header), which the sender rotated right by
    /// <paramref name="rightRotationCount"/> bytes (§4.2.5; Windows does, MIT does not), into
    /// <paramref name="destination"/> in its unrotated order. Any count is valid: it is taken modulo the length.
    /// </summary>
    public static void Unrotate(ReadOnlySpan<byte> body, int rightRotationCount, Span<byte> destination)
    {
        int shift = body.IsEmpty ? 0 : rightRotationCount % body.Length;
        body[shift..].CopyTo(destination);
        body[..shift].CopyTo(destination[(body.Length - shift)..]);
    }

    /// <summary>True when a body of <paramref name="length"/> bytes rotated by <paramref name="rightRotationCount"/> is already in order.</summary>
    public static bool IsUnrotated(int length, int rightRotationCount) => length == 0 || rightRotationCount % length == 0;
}
