using System.Buffers;
using System.Buffers.Binary;

namespace ActorAuth.Protocol;

/// <summary>
/// The wire framing of ActorAuth, the sockauth sample's SendMsg/ReceiveMsg on x86: every message, handshake
/// token or protected data, is a 4-byte little-endian unsigned length followed by that many bytes.
/// <code>
///  0               1               2               3
/// +---------------+---------------+---------------+---------------+------------------
/// |            length (uint32, little-endian, 1..max)             | length bytes ...
/// +---------------+---------------+---------------+---------------+------------------
/// </code>
/// Pure: bytes in, frames out. No socket, no logging, no allocation while reading.
/// </summary>
public static class FrameCodec
{
    /// <summary>Bytes in the length prefix.</summary>
    public const int HeaderLength = 4;

    /// <summary>The default maximum payload of one frame (64 KiB), as configured when nothing else is.</summary>
    public const int DefaultMaxFrameLength = 64 * 1024;

    /// <summary>
    /// Reads one frame from the start of <paramref name="buffer"/>. On <see cref="FrameStatus.Complete"/>,
    /// <paramref name="payload"/> is the frame's body (a slice of the input, valid until the buffer is
    /// released) and <paramref name="buffer"/> is advanced past the frame; on any other status
    /// <paramref name="buffer"/> is left unchanged. The declared length is checked against
    /// <paramref name="maxFrameLength"/> before anything is sliced, so a hostile header costs nothing.
    /// </summary>
    /// <param name="declaredLength">The length the header declares, once four bytes are present; else 0.</param>
    public static FrameStatus TryReadFrame(
        ref ReadOnlySequence<byte> buffer,
        int maxFrameLength,
        out ReadOnlySequence<byte> payload,
        out uint declaredLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxFrameLength);
        payload = default;
        declaredLength = 0;
        if (buffer.Length < HeaderLength)
        {
            return FrameStatus.Incomplete;
        }

        declaredLength = ReadHeader(buffer);
        if (declaredLength == 0)
        {
            return FrameStatus.EmptyFrame;
        }

        if (declaredLength > (uint)maxFrameLength)
        {
            return FrameStatus.FrameTooLarge;
        }

        long frameLength = HeaderLength + (long)declaredLength;
        if (buffer.Length < frameLength)
        {
            return FrameStatus.Incomplete;
        }

        payload = buffer.Slice(HeaderLength, declaredLength);
        buffer = buffer.Slice(frameLength);
        return FrameStatus.Complete;
    }

    /// <summary>
    /// Writes one frame (header and body) to <paramref name="writer"/> in a single contiguous span, so that a
    /// single flush sends both: a header and body in two writes stall ~40 ms under Nagle and delayed ACK.
    /// </summary>
    /// <exception cref="ArgumentException">The payload is empty (zero-length frames are never sent) or longer than <paramref name="maxFrameLength"/>.</exception>
    public static void WriteFrame(IBufferWriter<byte> writer, ReadOnlySpan<byte> payload, int maxFrameLength = DefaultMaxFrameLength)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (payload.IsEmpty)
        {
            throw new ArgumentException("Zero-length frames are never sent.", nameof(payload));
        }

        if (payload.Length > maxFrameLength)
        {
            throw new ArgumentException($"A frame of {payload.Length} bytes exceeds the maximum of {maxFrameLength}.", nameof(payload));
        }

        Span<byte> span = writer.GetSpan(HeaderLength + payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)payload.Length);
        payload.CopyTo(span[HeaderLength..]);
        writer.Advance(HeaderLength + payload.Length);
    }

    private static uint ReadHeader(ReadOnlySequence<byte> buffer)
    {
        ReadOnlySpan<byte> first = buffer.FirstSpan;
        if (first.Length >= HeaderLength)
        {
            return BinaryPrimitives.ReadUInt32LittleEndian(first);
        }

        Span<byte> header = stackalloc byte[HeaderLength];
        buffer.Slice(0, HeaderLength).CopyTo(header);
        return BinaryPrimitives.ReadUInt32LittleEndian(header);
    }
}
