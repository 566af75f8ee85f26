using Xunit;
using System.Buffers;

namespace ActorAuth.Protocol.Tests;

public sealed class GssSampleCodecTests
{
    private const int Max = 64 * 1024;

    private static byte[] Token(GssSampleFlags flags, params byte[] payload)
    {
        var writer = new ArrayBufferWriter<byte>();
        GssSampleCodec.WriteToken(writer, flags, payload);
        return writer.WrittenSpan.ToArray();
    }

    private static FrameStatus Read(ref ReadOnlySequence<byte> buffer, out GssSampleFlags flags, out byte[] payload, out uint declared, int max = Max)
    {
        FrameStatus status = GssSampleCodec.TryReadToken(ref buffer, max, out flags, out ReadOnlySequence<byte> body, out declared);
        payload = body.ToArray();
        return status;
    }

    [Fact]
    public void Written_token_is_the_flags_byte_and_a_big_endian_32_bit_length_followed_by_the_payload()
    {
        Assert.Equal(new byte[] { 0x02, 0, 0, 0, 3, 0xA, 0xB, 0xC }, Token(GssSampleFlags.Context, 0xA, 0xB, 0xC));
    }

    [Theory]
    [InlineData(GssSampleFlags.Context)]
    [InlineData(GssSampleFlags.Mic)]
    [InlineData(GssSampleFlags.Data | GssSampleFlags.Wrapped | GssSampleFlags.Encrypted | GssSampleFlags.SendMic)]
    public void A_written_token_reads_back_with_its_flags_and_payload_and_the_buffer_advances_past_it(GssSampleFlags flags)
    {
        var buffer = new ReadOnlySequence<byte>(Token(flags, 1, 2, 3));

        FrameStatus status = Read(ref buffer, out GssSampleFlags readFlags, out byte[] payload, out uint declared);

        Assert.Equal(FrameStatus.Complete, status);
        Assert.Equal(flags, readFlags);
        Assert.Equal(3u, declared);
        Assert.Equal(new byte[] { 1, 2, 3 }, payload);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void Every_truncated_prefix_is_incomplete_and_consumes_nothing()
    {
        byte[] token = Token(GssSampleFlags.Context, [.. Enumerable.Range(1, 10).Select(i => (byte)i)]);
        for (int length = 0; length < token.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(token, 0, length);

            FrameStatus status = Read(ref buffer, out _, out _, out _);

            Assert.True(status == FrameStatus.Incomplete, $"prefix of {length} bytes gave {status}");
            Assert.Equal(length, buffer.Length);
        }
    }

    [Fact]
    public void Every_truncated_prefix_of_a_version_1_token_is_incomplete_and_consumes_nothing()
    {
        byte[] token = [0, 0, 0, 4, 1, 2, 3, 4];
        for (int length = 0; length < token.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(token, 0, length);

            FrameStatus status = Read(ref buffer, out _, out _, out _);

            Assert.True(status == FrameStatus.Incomplete, $"prefix of {length} bytes gave {status}");
            Assert.Equal(length, buffer.Length);
        }
    }

    [Fact]
    public void A_token_split_across_segments_at_every_point_is_read_whole()
    {
        byte[] token = Token(GssSampleFlags.Context, 9, 8, 7, 6, 5);
        for (int cut = 1; cut < token.Length; cut++)
        {
            var buffer = Segments.Split(token, cut);

            FrameStatus status = Read(ref buffer, out GssSampleFlags flags, out byte[] payload, out _);

            Assert.True(status == FrameStatus.Complete, $"cut at {cut} gave {status}");
            Assert.Equal(GssSampleFlags.Context, flags);
            Assert.Equal(new byte[] { 9, 8, 7, 6, 5 }, payload);
            Assert.True(buffer.IsEmpty, $"cut at {cut} left {buffer.Length} bytes");
        }
    }

    [Fact]
    public void A_header_split_byte_by_byte_across_segments_is_read()
    {
        var buffer = Segments.Split(Token(GssSampleFlags.Context, 42), 1, 2, 3, 4, 5);

        Assert.Equal(FrameStatus.Complete, Read(ref buffer, out _, out byte[] payload, out _));
        Assert.Equal(new byte[] { 42 }, payload);
    }

    [Fact]
    public void A_declared_length_over_the_maximum_is_refused_from_the_header_alone()
    {
        var buffer = new ReadOnlySequence<byte>(new byte[] { 0x02, 0xFF, 0xFF, 0xFF, 0xFF });

        FrameStatus status = Read(ref buffer, out _, out _, out uint declared);

        Assert.Equal(FrameStatus.FrameTooLarge, status);
        Assert.Equal(uint.MaxValue, declared);
        Assert.Equal(5, buffer.Length);
    }

    [Fact]
    public void A_declared_length_one_over_the_maximum_is_refused()
    {
        var buffer = new ReadOnlySequence<byte>(new byte[] { 0x02, 0, 0, 0, 17 });

        Assert.Equal(FrameStatus.FrameTooLarge, Read(ref buffer, out _, out _, out _, max: 16));
    }

    [Fact]
    public void A_declared_length_of_exactly_the_maximum_is_accepted()
    {
        var buffer = new ReadOnlySequence<byte>(Token(GssSampleFlags.Context, new byte[16]));

        Assert.Equal(FrameStatus.Complete, Read(ref buffer, out _, out byte[] payload, out _, max: 16));
        Assert.Equal(16, payload.Length);
    }

    [Theory]
    [InlineData(GssSampleFlags.Noop)]
    [InlineData(GssSampleFlags.Noop | GssSampleFlags.ContextNext)]
    [InlineData(GssSampleFlags.Context)]
    public void A_zero_length_payload_is_a_complete_token(GssSampleFlags flags)
    {
        byte[] token = Token(flags);
        var buffer = new ReadOnlySequence<byte>(token);

        FrameStatus status = Read(ref buffer, out GssSampleFlags readFlags, out byte[] payload, out uint declared);

        Assert.Equal(new byte[] { (byte)flags, 0, 0, 0, 0 }, token);
        Assert.Equal(FrameStatus.Complete, status);
        Assert.Equal(flags, readFlags);
        Assert.Equal(0u, declared);
        Assert.Empty(payload);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void A_flags_byte_of_0_reads_as_a_version_1_token_with_a_4_byte_big_endian_length()
    {
        var buffer = new ReadOnlySequence<byte>(new byte[] { 0, 0, 0, 3, 0xA, 0xB, 0xC, 0xEE });

        FrameStatus status = Read(ref buffer, out GssSampleFlags flags, out byte[] payload, out uint declared);

        Assert.Equal(FrameStatus.Complete, status);
        Assert.Equal(GssSampleFlags.None, flags);
        Assert.Equal(3u, declared);
        Assert.Equal(new byte[] { 0xA, 0xB, 0xC }, payload);
        Assert.Equal(new byte[] { 0xEE }, buffer.ToArray());
    }

    [Fact]
    public void A_version_1_length_over_the_maximum_is_refused_from_its_4_byte_header()
    {
        var buffer = new ReadOnlySequence<byte>(new byte[] { 0, 0xFF, 0xFF, 0xFF });

        FrameStatus status = Read(ref buffer, out _, out _, out uint declared);

        Assert.Equal(FrameStatus.FrameTooLarge, status);
        Assert.Equal(0x00FF_FFFFu, declared);
        Assert.Equal(4, buffer.Length);
    }

    [Fact]
    public void A_zero_length_version_1_token_is_its_4_byte_header_alone()
    {
        var buffer = new ReadOnlySequence<byte>(new byte[] { 0, 0, 0, 0, 0x01 });

        Assert.Equal(FrameStatus.Complete, Read(ref buffer, out GssSampleFlags flags, out byte[] payload, out _));
        Assert.Equal(GssSampleFlags.None, flags);
        Assert.Empty(payload);
        Assert.Equal(1, buffer.Length);
    }

    [Fact]
    public void Two_tokens_back_to_back_are_read_one_after_the_other()
    {
        byte[] bytes = [.. Token(GssSampleFlags.Noop | GssSampleFlags.ContextNext), .. Token(GssSampleFlags.Context, 2, 2, 2)];
        var buffer = new ReadOnlySequence<byte>(bytes);

        Assert.Equal(FrameStatus.Complete, Read(ref buffer, out GssSampleFlags first, out byte[] firstPayload, out _));
        Assert.Equal(FrameStatus.Complete, Read(ref buffer, out GssSampleFlags second, out byte[] secondPayload, out _));

        Assert.Equal(GssSampleFlags.Noop | GssSampleFlags.ContextNext, first);
        Assert.Empty(firstPayload);
        Assert.Equal(GssSampleFlags.Context, second);
        Assert.Equal(new byte[] { 2, 2, 2 }, secondPayload);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void Writing_a_token_with_no_flags_is_refused()
    {
        Assert.Throws<ArgumentException>(() => GssSampleCodec.WriteToken(new ArrayBufferWriter<byte>(), GssSampleFlags.None, [1, 2, 3]));
    }
}
