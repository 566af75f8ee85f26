using System.Buffers;
using System.Buffers.Binary;

namespace ActorAuth.Protocol;

/// <summary>
/// The handshake framing of .NET's NegotiateStream ([MS-NNS] 2.2.1), what an unmodified
/// <c>NegotiateStream.AuthenticateAsClientAsync</c> sends and expects:
/// <code>
///  0           1           2           3           4
/// +-----------+-----------+-----------+-----------+-----------+-------------------
/// | message id| major (1) | minor (0) | payload size (uint16, | payload bytes ...
/// | 14/15/16  |           |           |  big-endian, 0..65535)|
/// +-----------+-----------+-----------+-----------+-----------+-------------------
/// </code>
/// After the handshake the data phase is <see cref="FrameCodec"/>'s framing (4-byte little-endian length, one
/// wrap token each), so only the handshake needs this codec. Pure: no socket, no logging.
/// </summary>
public static class NegotiateStreamCodec
{
    /// <summary>Bytes in a handshake header.</summary>
    public const int HeaderLength = 5;

    /// <summary>The only protocol version there is: 1.0.</summary>
    public const byte MajorVersion = 1;

    /// <inheritdoc cref="MajorVersion"/>
    public const byte MinorVersion = 0;

    /// <summary>The largest handshake payload the 16-bit size can declare.</summary>
    public const int MaxHandshakePayload = ushort.MaxValue;

    /// <summary>
    /// The most plaintext .NET puts in one data frame (<c>NegotiateStream.MaxWriteDataSize</c>): a larger write is
    /// split into several frames, so a listener that maps one frame to one request carries at most this much.
    /// </summary>
    public const int MaxWriteDataSize = 0xFC00;

    /// <summary>The largest data frame .NET reads (<c>NegotiateStream.MaxReadFrameSize</c>); a reply token must fit.</summary>
    public const int MaxReadFrameSize = 64 * 1024;

    /// <summary>Bytes of the error code an error message carries.</summary>
    public const int ErrorPayloadLength = 8;

    /// <summary>
    /// Reads one handshake message. On <see cref="FrameStatus.Complete"/> the buffer is advanced past it and
    /// <paramref name="payload"/> may be empty (a final "done" with no token); on any other status nothing is
    /// consumed. A version other than 1.0 is <see cref="FrameStatus.UnsupportedVersion"/>; the message id is the
    /// caller's to judge.
    /// </summary>
    public static FrameStatus TryReadHandshake(
        ref ReadOnlySequence<byte> buffer,
        int maxPayloadLength,
        out NegotiateStreamMessageId messageId,
        out ReadOnlySequence<byte> payload,
        out uint declaredLength)
    {
        messageId = default;
        payload = default;
        declaredLength = 0;
        if (buffer.Length < HeaderLength)
        {
            return FrameStatus.Incomplete;
        }

        Span<byte> header = stackalloc byte[HeaderLength];
        buffer.Slice(0, HeaderLength).CopyTo(header);
        messageId = (NegotiateStreamMessageId)header[0];
        declaredLength = BinaryPrimitives.ReadUInt16BigEndian(header[3..]);
        if (header[1] != MajorVersion || header[2] != MinorVersion)
        {
            return FrameStatus.UnsupportedVersion;
        }

        if (declaredLength > (uint)maxPayloadLength)
        {
            return FrameStatus.FrameTooLarge;
        }

        if (buffer.Length < HeaderLength + declaredLength)
        {
            return FrameStatus.Incomplete;
        }

        payload = buffer.Slice(HeaderLength, declaredLength);
        buffer = buffer.Slice(HeaderLength + declaredLength);
        return FrameStatus.Complete;
    }

    /// <summary>Writes one handshake message, header and payload in one contiguous span.</summary>
    /// <exception cref="ArgumentException">The payload exceeds <see cref="MaxHandshakePayload"/>.</exception>
    public static void WriteHandshake(IBufferWriter<byte> writer, NegotiateStreamMessageId messageId, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (payload.Length > MaxHandshakePayload)
        {
            throw new ArgumentException($"A handshake payload of {payload.Length} bytes exceeds the protocol's {MaxHandshakePayload}.", nameof(payload));
        }

        Span<byte> span = writer.GetSpan(HeaderLength + payload.Length);
        span[0] = (byte)messageId;
        span[1] = MajorVersion;
        span[2] = MinorVersion;
        BinaryPrimitives.WriteUInt16BigEndian(span[3..], (ushort)payload.Length);
        payload.CopyTo(span[HeaderLength..]);
        writer.Advance(HeaderLength + payload.Length);
    }

    /// <summary>
    /// The payload of an error message: the Win32/SSPI error code as a 64-bit little-endian integer, as .NET's
    /// NegotiateStream writes and reads it (it maps <see cref="LogonDenied"/> to InvalidCredentialException,
    /// <see cref="TrustFailure"/> and anything else to AuthenticationException; .NET Framework read it big-endian
    /// and so sees only a generic AuthenticationException, still a refusal).
    /// </summary>
    public static byte[] ErrorPayload(long errorCode)
    {
        byte[] payload = new byte[ErrorPayloadLength];
        BinaryPrimitives.WriteInt64LittleEndian(payload, errorCode);
        return payload;
    }

    /// <summary>Reads the error code of an error message's payload; false when it is too short to carry one.</summary>
    public static bool TryReadErrorCode(ReadOnlySpan<byte> payload, out long errorCode)
    {
        errorCode = 0;
        if (payload.Length < ErrorPayloadLength)
        {
            return false;
        }

        errorCode = BinaryPrimitives.ReadInt64LittleEndian(payload);
        return true;
    }

    /// <summary>SEC_E_LOGON_DENIED: the credentials were rejected.</summary>
    public const long LogonDenied = unchecked((int)0x8009030C);

    /// <summary>ERROR_TRUST_FAILURE (1790): authenticated, but not as the peer requires (protection, mutual authentication).</summary>
    public const long TrustFailure = 1790;

    /// <summary>SEC_E_INVALID_TOKEN: the token was malformed.</summary>
    public const long InvalidToken = unchecked((int)0x80090308);

    /// <summary>SEC_E_INTERNAL_ERROR: any other failure.</summary>
    public const long InternalError = unchecked((int)0x80090304);
}

/// <summary>The message ids of a NegotiateStream handshake message ([MS-NNS] 2.2.1).</summary>
public enum NegotiateStreamMessageId : byte
{
    /// <summary>The sender's last handshake message: its final token, possibly empty.</summary>
    HandshakeDone = 0x14,

    /// <summary>The handshake failed; the payload is an 8-byte error code.</summary>
    HandshakeError = 0x15,

    /// <summary>A token of a handshake that goes on.</summary>
    HandshakeInProgress = 0x16,
}
