using System.Buffers;
using System.Buffers.Binary;

namespace ActorAuth.Protocol;

/// <summary>
/// The token framing of MIT's gss-sample programs (<c>send_token</c>/<c>recv_token</c> in
/// <c>src/appl/gss-sample/gss-misc.c</c>), what unmodified <c>gss-client</c> and <c>gss-server</c> speak:
/// <code>
///  0           1           2           3           4
/// +-----------+-----------+-----------+-----------+-----------+-------------------
/// |   flags   |       length (uint32, big-endian)             | length bytes ...
/// +-----------+-----------+-----------+-----------+-----------+-------------------
/// </code>
/// A flags byte of 0 is the protocol's version-1 form: there is no flags byte and that 0 is the length's high
/// byte, so the header is 4 bytes (MIT reads it that way; so does this codec). Unlike MIT, which allocates
/// whatever length the wire declares, the length is checked against a maximum before anything is sliced.
/// Zero-length tokens are legal here (a NOOP has no body). Pure: no socket, no logging.
/// </summary>
public static class GssSampleCodec
{
    /// <summary>Bytes in a token header: the flags byte and the 4-byte length.</summary>
    public const int HeaderLength = 5;

    /// <summary>
    /// Reads one token. On <see cref="FrameStatus.Complete"/> the buffer is advanced past it; on any other status
    /// nothing is consumed. <paramref name="flags"/> is <see cref="GssSampleFlags.None"/> for a version-1 token.
    /// </summary>
    public static FrameStatus TryReadToken(
        ref ReadOnlySequence<byte> buffer,
        int maxPayloadLength,
        out GssSampleFlags flags,
        out ReadOnlySequence<byte> payload,
        out uint declaredLength)
    {
        flags = GssSampleFlags.None;
        payload = default;
        declaredLength = 0;
        if (buffer.IsEmpty)
        {
            return FrameStatus.Incomplete;
        }

        byte first = buffer.FirstSpan[0];
        int headerLength = first == 0 ? 4 : HeaderLength;
        if (buffer.Length < headerLength)
        {
            return FrameStatus.Incomplete;
        }

        Span<byte> header = stackalloc byte[HeaderLength];
        buffer.Slice(0, headerLength).CopyTo(header);
        flags = (GssSampleFlags)first;
        declaredLength = first == 0
            ? BinaryPrimitives.ReadUInt32BigEndian(header)
            : BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        if (declaredLength > (uint)maxPayloadLength)
        {
            return FrameStatus.FrameTooLarge;
        }

        if (buffer.Length < headerLength + (long)declaredLength)
        {
            return FrameStatus.Incomplete;
        }

        payload = buffer.Slice(headerLength, declaredLength);
        buffer = buffer.Slice(headerLength + declaredLength);
        return FrameStatus.Complete;
    }

    /// <summary>Writes one token with a flags byte (never the version-1 form), header and payload in one span.</summary>
    /// <exception cref="ArgumentException"><paramref name="flags"/> is <see cref="GssSampleFlags.None"/>, which would read back as a version-1 header.</exception>
    public static void WriteToken(IBufferWriter<byte> writer, GssSampleFlags flags, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (flags == GssSampleFlags.None)
        {
            throw new ArgumentException("A token needs at least one flag: a zero flags byte reads as a version-1 header.", nameof(flags));
        }

        Span<byte> span = writer.GetSpan(HeaderLength + payload.Length);
        span[0] = (byte)flags;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)payload.Length);
        payload.CopyTo(span[HeaderLength..]);
        writer.Advance(HeaderLength + payload.Length);
    }
}

/// <summary>The flags byte of a gss-sample token (<c>gss-misc.h</c>).</summary>
[Flags]
public enum GssSampleFlags : byte
{
    /// <summary>No flags: a version-1 token (its header has no flags byte).</summary>
    None = 0,

    /// <summary>Nothing to do: the client's opening token, the server's answer to a message without MIC, and the client's goodbye.</summary>
    Noop = 1,

    /// <summary>A context-establishment token.</summary>
    Context = 2,

    /// <summary>A data message.</summary>
    Data = 4,

    /// <summary>A MIC (signature) of the last message.</summary>
    Mic = 8,

    /// <summary>On the opening NOOP: context tokens follow (without it the client is anonymous).</summary>
    ContextNext = 16,

    /// <summary>The message is a wrap token (gss_wrap).</summary>
    Wrapped = 32,

    /// <summary>The wrap token is encrypted, not only signed.</summary>
    Encrypted = 64,

    /// <summary>The client asks for a MIC of the message in reply.</summary>
    SendMic = 128,
}
