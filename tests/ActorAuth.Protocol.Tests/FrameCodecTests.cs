using Xunit;
using System.Buffers;
using System.Buffers.Binary;

namespace ActorAuth.Protocol.Tests;

public sealed class FrameCodecTests
{
    private const int Max = FrameCodec.DefaultMaxFrameLength;

    private static byte[] Frame(params byte[] payload)
    {
        var writer = new ArrayBufferWriter<byte>();
        FrameCodec.WriteFrame(writer, payload);
        return writer.WrittenSpan.ToArray();
    }

    private static byte[] Header(uint declaredLength)
    {
        var header = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(header, declaredLength);
        return header;
    }

    [Fact]
    public void Written_frame_is_a_little_endian_length_followed_by_the_payload()
    {
        Assert.Equal(new byte[] { 3, 0, 0, 0, 0xA, 0xB, 0xC }, Frame(0xA, 0xB, 0xC));
    }

    [Fact]
    public void A_whole_frame_is_read_and_the_buffer_advances_past_it()
    {
        var buffer = new ReadOnlySequence<byte>(Frame(1, 2, 3));

        FrameStatus status = FrameCodec.TryReadFrame(ref buffer, Max, out var payload, out uint declared);

        Assert.Equal(FrameStatus.Complete, status);
        Assert.Equal(3u, declared);
        Assert.Equal(new byte[] { 1, 2, 3 }, payload.ToArray());
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void Every_truncated_prefix_is_incomplete_and_consumes_nothing()
    {
        byte[] frame = Frame(Enumerable.Range(1, 10).Select(i => (byte)i).ToArray());
        for (int length = 0; length < frame.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(frame, 0, length);

            FrameStatus status = FrameCodec.TryReadFrame(ref buffer, Max, out _, out _);

            Assert.True(status == FrameStatus.Incomplete, $"prefix of {length} bytes gave {status}");
            Assert.Equal(length, buffer.Length);
        }
    }

    [Fact]
    public void A_frame_split_across_segments_at_every_point_is_read_whole()
    {
        byte[] frame = Frame(9, 8, 7, 6, 5);
        for (int cut = 1; cut < frame.Length; cut++)
        {
            var buffer = Segments.Split(frame, cut);

            FrameStatus status = FrameCodec.TryReadFrame(ref buffer, Max, out var payload, out _);

            Assert.True(status == FrameStatus.Complete, $"cut at {cut} gave {status}");
            Assert.Equal(new byte[] { 9, 8, 7, 6, 5 }, payload.ToArray());
        }
    }

    [Fact]
    public void A_header_split_byte_by_byte_across_segments_is_read()
    {
        var buffer = Segments.Split(Frame(42), 1, 2, 3, 4);

        Assert.Equal(FrameStatus.Complete, FrameCodec.TryReadFrame(ref buffer, Max, out var payload, out _));
        Assert.Equal(new byte[] { 42 }, payload.ToArray());
    }

    [Fact]
    public void Several_frames_in_one_read_come_out_one_at_a_time_in_order()
    {
        byte[] bytes = [.. Frame(1), .. Frame(2, 2), .. Frame(3, 3, 3)];
        var buffer = new ReadOnlySequence<byte>(bytes);
        var payloads = new List<byte[]>();

        while (FrameCodec.TryReadFrame(ref buffer, Max, out var payload, out _) == FrameStatus.Complete)
        {
            payloads.Add(payload.ToArray());
        }

        Assert.Equal([[1], [2, 2], [3, 3, 3]], payloads);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void A_trailing_partial_frame_stays_in_the_buffer()
    {
        byte[] bytes = [.. Frame(1), .. Frame(2, 2).AsSpan(0, 5)];
        var buffer = new ReadOnlySequence<byte>(bytes);

        Assert.Equal(FrameStatus.Complete, FrameCodec.TryReadFrame(ref buffer, Max, out _, out _));
        Assert.Equal(FrameStatus.Incomplete, FrameCodec.TryReadFrame(ref buffer, Max, out _, out _));
        Assert.Equal(5, buffer.Length);
    }

    [Fact]
    public void A_frame_of_exactly_the_maximum_is_accepted()
    {
        byte[] bytes = [.. Header(16), .. new byte[16]];
        var buffer = new ReadOnlySequence<byte>(bytes);

        Assert.Equal(FrameStatus.Complete, FrameCodec.TryReadFrame(ref buffer, 16, out var payload, out _));
        Assert.Equal(16, payload.Length);
    }

    [Theory]
    [InlineData(17u)]
    [InlineData(65_537u)]
    [InlineData(uint.MaxValue)]
    public void A_declared_length_over_the_maximum_is_refused_from_the_header_alone(uint declared)
    {
        var buffer = new ReadOnlySequence<byte>(Header(declared));

        FrameStatus status = FrameCodec.TryReadFrame(ref buffer, 16, out _, out uint seen);

        Assert.Equal(FrameStatus.FrameTooLarge, status);
        Assert.Equal(declared, seen);
        Assert.Equal(4, buffer.Length);
    }

    [Fact]
    public void A_zero_length_frame_is_refused()
    {
        var buffer = new ReadOnlySequence<byte>(Header(0));

        Assert.Equal(FrameStatus.EmptyFrame, FrameCodec.TryReadFrame(ref buffer, Max, out _, out _));
    }

    [Fact]
    public void Writing_an_empty_payload_is_refused()
    {
        Assert.Throws<ArgumentException>(() => FrameCodec.WriteFrame(new ArrayBufferWriter<byte>(), []));
    }

    [Fact]
    public void Writing_a_payload_over_the_maximum_is_refused()
    {
        Assert.Throws<ArgumentException>(() => FrameCodec.WriteFrame(new ArrayBufferWriter<byte>(), new byte[17], 16));
    }
}
