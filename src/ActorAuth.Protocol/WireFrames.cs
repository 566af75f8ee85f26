using System.Buffers;

namespace ActorAuth.Protocol;

/// <summary>The framings a connection may use at one point of its life; a listener's kind picks them per phase.</summary>
public enum FrameFormat
{
    /// <summary>4-byte little-endian length, then the payload (<see cref="FrameCodec"/>): sockauth throughout, NegotiateStream's data phase.</summary>
    LengthPrefixed,

    /// <summary>NegotiateStream's 5-byte handshake header (<see cref="NegotiateStreamCodec"/>).</summary>
    NegotiateStreamHandshake,

    /// <summary>gss-sample's flags byte and 4-byte big-endian length (<see cref="GssSampleCodec"/>).</summary>
    GssSample,
}

/// <summary>
/// One read and one write over every <see cref="FrameFormat"/>, so a connection's pump and send path stay one
/// piece of code. A frame's <c>kind</c> is its NegotiateStream message id or gss-sample flags byte (0 for length-prefixed).
/// </summary>
public static class WireFrames
{
    /// <summary>Reads one frame in <paramref name="format"/>; the contract of each codec's own reader.</summary>
    public static FrameStatus TryRead(
        FrameFormat format,
        ref ReadOnlySequence<byte> buffer,
        int maxPayloadLength,
        out byte kind,
        out ReadOnlySequence<byte> payload,
        out uint declaredLength)
    {
        FrameStatus status;
        switch (format)
        {
            case FrameFormat.NegotiateStreamHandshake:
                status = NegotiateStreamCodec.TryReadHandshake(ref buffer, maxPayloadLength, out NegotiateStreamMessageId id, out payload, out declaredLength);
                kind = (byte)id;
                return status;
            case FrameFormat.GssSample:
                status = GssSampleCodec.TryReadToken(ref buffer, maxPayloadLength, out GssSampleFlags flags, out payload, out declaredLength);
                kind = (byte)flags;
                return status;
            default:
                kind = 0;
                return FrameCodec.TryReadFrame(ref buffer, maxPayloadLength, out payload, out declaredLength);
        }
    }

    /// <summary>Writes one frame in <paramref name="format"/> in one contiguous span.</summary>
    public static void Write(FrameFormat format, IBufferWriter<byte> writer, byte kind, ReadOnlySpan<byte> payload)
    {
        switch (format)
        {
            case FrameFormat.NegotiateStreamHandshake:
                NegotiateStreamCodec.WriteHandshake(writer, (NegotiateStreamMessageId)kind, payload);
                break;
            case FrameFormat.GssSample:
                GssSampleCodec.WriteToken(writer, (GssSampleFlags)kind, payload);
                break;
            default:
                FrameCodec.WriteFrame(writer, payload, int.MaxValue);
                break;
        }
    }
}
