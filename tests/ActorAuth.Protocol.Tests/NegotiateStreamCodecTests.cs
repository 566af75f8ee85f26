using Xunit;
using System.Buffers;

namespace ActorAuth.Protocol.Tests;

public sealed class NegotiateStreamCodecTests
{
    private const int Max = NegotiateStreamCodec.MaxHandshakePayload;

    private static byte[] Message(NegotiateStreamMessageId id, params byte[] payload)
    {
        var writer = new ArrayBufferWriter<byte>();
        NegotiateStreamCodec.WriteHandshake(writer, id, payload);
        return writer.WrittenSpan.ToArray();
    }

    private static FrameStatus Read(ref ReadOnlySequence<byte> buffer, out NegotiateStreamMessageId id, out byte[] payload, out uint declared, int max = Max)
    {
        FrameStatus status = NegotiateStreamCodec.TryReadHandshake(ref buffer, max, out id, out ReadOnlySequence<byte> body, out declared);
        payload = body.ToArray();
        return status;
    }

    [Fact]
    public void Written_message_is_id_version_1_0_and_a_big_endian_16_bit_size_followed_by_the_payload()
    {
        byte[] payload = new byte[0x0102];
        payload[0] = 0xAA;

        byte[] message = Message(NegotiateStreamMessageId.HandshakeInProgress, payload);

        Assert.Equal(new byte[] { 0x16, 1, 0, 0x01, 0x02, 0xAA }, message[..6]);
        Assert.Equal(5 + 0x0102, message.Length);
    }

    [Theory]
    [InlineData(NegotiateStreamMessageId.HandshakeInProgress)]
    [InlineData(NegotiateStreamMessageId.HandshakeDone)]
    [InlineData(NegotiateStreamMessageId.HandshakeError)]
    public void A_written_message_reads_back_with_its_id_and_payload_and_the_buffer_advances_past_it(NegotiateStreamMessageId id)
    {
        var buffer = new ReadOnlySequence<byte>(Message(id, 1, 2, 3));

        FrameStatus status = Read(ref buffer, out NegotiateStreamMessageId readId, out byte[] payload, out uint declared);

        Assert.Equal(FrameStatus.Complete, status);
        Assert.Equal(id, readId);
        Assert.Equal(3u, declared);
        Assert.Equal(new byte[] { 1, 2, 3 }, payload);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void A_payload_of_the_full_16_bit_range_round_trips()
    {
        byte[] body = new byte[NegotiateStreamCodec.MaxHandshakePayload];
        Random.Shared.NextBytes(body);
        var buffer = new ReadOnlySequence<byte>(Message(NegotiateStreamMessageId.HandshakeInProgress, body));

        Assert.Equal(FrameStatus.Complete, Read(ref buffer, out _, out byte[] payload, out uint declared));
        Assert.Equal(0xFFFFu, declared);
        Assert.True(body.AsSpan().SequenceEqual(payload));
    }

    [Fact]
    public void Every_truncated_prefix_is_incomplete_and_consumes_nothing()
    {
        byte[] message = Message(NegotiateStreamMessageId.HandshakeInProgress, [.. Enumerable.Range(1, 10).Select(i => (byte)i)]);
        for (int length = 0; length < message.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(message, 0, length);

            FrameStatus status = Read(ref buffer, out _, out _, out _);

            Assert.True(status == FrameStatus.Incomplete, $"prefix of {length} bytes gave {status}");
            Assert.Equal(length, buffer.Length);
        }
    }

    [Fact]
    public void A_message_split_across_segments_at_every_point_is_read_whole()
    {
        byte[] message = Message(NegotiateStreamMessageId.HandshakeDone, 9, 8, 7, 6, 5);
        for (int cut = 1; cut < message.Length; cut++)
        {
            var buffer = Segments.Split(message, cut);

            FrameStatus status = Read(ref buffer, out NegotiateStreamMessageId id, out byte[] payload, out _);

            Assert.True(status == FrameStatus.Complete, $"cut at {cut} gave {status}");
            Assert.Equal(NegotiateStreamMessageId.HandshakeDone, id);
            Assert.Equal(new byte[] { 9, 8, 7, 6, 5 }, payload);
            Assert.True(buffer.IsEmpty, $"cut at {cut} left {buffer.Length} bytes");
        }
    }

    [Fact]
    public void A_header_split_byte_by_byte_across_segments_is_read()
    {
        var buffer = Segments.Split(Message(NegotiateStreamMessageId.HandshakeInProgress, 42), 1, 2, 3, 4, 5);

        Assert.Equal(FrameStatus.Complete, Read(ref buffer, out _, out byte[] payload, out _));
        Assert.Equal(new byte[] { 42 }, payload);
    }

    [Fact]
    public void A_declared_size_over_the_maximum_is_refused_from_the_header_alone()
    {
        var buffer = new ReadOnlySequence<byte>(new byte[] { 0x16, 1, 0, 0xFF, 0xFF });

        FrameStatus status = Read(ref buffer, out _, out _, out uint declared, max: 1024);

        Assert.Equal(FrameStatus.FrameTooLarge, status);
        Assert.Equal(0xFFFFu, declared);
        Assert.Equal(5, buffer.Length);
    }

    [Fact]
    public void A_declared_size_of_exactly_the_maximum_is_accepted()
    {
        var buffer = new ReadOnlySequence<byte>(Message(NegotiateStreamMessageId.HandshakeInProgress, new byte[16]));

        Assert.Equal(FrameStatus.Complete, Read(ref buffer, out _, out byte[] payload, out _, max: 16));
        Assert.Equal(16, payload.Length);
    }

    [Theory]
    [InlineData(2, 0)]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(0xFF, 0xFF)]
    public void A_version_other_than_1_0_is_unsupported_and_consumes_nothing(byte major, byte minor)
    {
        var buffer = new ReadOnlySequence<byte>(new byte[] { 0x16, major, minor, 0, 1, 0xAB });

        FrameStatus status = Read(ref buffer, out _, out _, out _);

        Assert.Equal(FrameStatus.UnsupportedVersion, status);
        Assert.Equal(6, buffer.Length);
    }

    [Fact]
    public void A_version_other_than_1_0_is_unsupported_even_when_its_size_is_over_the_maximum()
    {
        var buffer = new ReadOnlySequence<byte>(new byte[] { 0x16, 2, 0, 0xFF, 0xFF });

        Assert.Equal(FrameStatus.UnsupportedVersion, Read(ref buffer, out _, out _, out _, max: 1024));
    }

    [Theory]
    [InlineData(NegotiateStreamMessageId.HandshakeDone)]
    [InlineData(NegotiateStreamMessageId.HandshakeInProgress)]
    public void A_zero_length_payload_is_a_complete_message(NegotiateStreamMessageId id)
    {
        byte[] message = Message(id);
        var buffer = new ReadOnlySequence<byte>(message);

        FrameStatus status = Read(ref buffer, out NegotiateStreamMessageId readId, out byte[] payload, out uint declared);

        Assert.Equal(new byte[] { (byte)id, 1, 0, 0, 0 }, message);
        Assert.Equal(FrameStatus.Complete, status);
        Assert.Equal(id, readId);
        Assert.Equal(0u, declared);
        Assert.Empty(payload);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void An_unknown_message_id_is_read_as_it_is_for_the_caller_to_judge()
    {
        var buffer = new ReadOnlySequence<byte>(new byte[] { 0x99, 1, 0, 0, 1, 7 });

        Assert.Equal(FrameStatus.Complete, Read(ref buffer, out NegotiateStreamMessageId id, out byte[] payload, out _));
        Assert.Equal((NegotiateStreamMessageId)0x99, id);
        Assert.Equal(new byte[] { 7 }, payload);
    }

    [Fact]
    public void Two_messages_back_to_back_are_read_one_after_the_other()
    {
        byte[] bytes = [.. Message(NegotiateStreamMessageId.HandshakeInProgress, 1, 1), .. Message(NegotiateStreamMessageId.HandshakeDone, 2, 2, 2)];
        var buffer = new ReadOnlySequence<byte>(bytes);

        Assert.Equal(FrameStatus.Complete, Read(ref buffer, out NegotiateStreamMessageId first, out byte[] firstPayload, out _));
        Assert.Equal(FrameStatus.Complete, Read(ref buffer, out NegotiateStreamMessageId second, out byte[] secondPayload, out _));

        Assert.Equal(NegotiateStreamMessageId.HandshakeInProgress, first);
        Assert.Equal(new byte[] { 1, 1 }, firstPayload);
        Assert.Equal(NegotiateStreamMessageId.HandshakeDone, second);
        Assert.Equal(new byte[] { 2, 2, 2 }, secondPayload);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void Writing_a_payload_over_65535_bytes_is_refused()
    {
        Assert.Throws<ArgumentException>(() =>
            NegotiateStreamCodec.WriteHandshake(new ArrayBufferWriter<byte>(), NegotiateStreamMessageId.HandshakeInProgress, new byte[NegotiateStreamCodec.MaxHandshakePayload + 1]));
    }

    [Fact]
    public void The_trust_failure_error_payload_is_1790_as_a_little_endian_int64()
    {
        Assert.Equal(new byte[] { 0xFE, 0x06, 0, 0, 0, 0, 0, 0 }, NegotiateStreamCodec.ErrorPayload(NegotiateStreamCodec.TrustFailure));
    }

    [Fact]
    public void A_little_endian_error_payload_reads_back_as_1790()
    {
        Assert.True(NegotiateStreamCodec.TryReadErrorCode([0xFE, 0x06, 0, 0, 0, 0, 0, 0], out long code));
        Assert.Equal(1790L, code);
    }

    [Theory]
    [InlineData(NegotiateStreamCodec.TrustFailure)]
    [InlineData(NegotiateStreamCodec.LogonDenied)]
    [InlineData(NegotiateStreamCodec.InvalidToken)]
    [InlineData(NegotiateStreamCodec.InternalError)]
    public void An_error_message_round_trips_its_code_through_the_codec(long errorCode)
    {
        var buffer = new ReadOnlySequence<byte>(Message(NegotiateStreamMessageId.HandshakeError, NegotiateStreamCodec.ErrorPayload(errorCode)));

        Assert.Equal(FrameStatus.Complete, Read(ref buffer, out NegotiateStreamMessageId id, out byte[] payload, out _));
        Assert.Equal(NegotiateStreamMessageId.HandshakeError, id);
        Assert.Equal(NegotiateStreamCodec.ErrorPayloadLength, payload.Length);
        Assert.True(NegotiateStreamCodec.TryReadErrorCode(payload, out long read));
        Assert.Equal(errorCode, read);
    }

    [Fact]
    public void A_negative_SSPI_status_is_sign_extended_in_the_error_payload()
    {
        Assert.Equal(new byte[] { 0x08, 0x03, 0x09, 0x80, 0xFF, 0xFF, 0xFF, 0xFF }, NegotiateStreamCodec.ErrorPayload(NegotiateStreamCodec.InvalidToken));
    }

    [Fact]
    public void An_error_payload_shorter_than_8_bytes_carries_no_code()
    {
        Assert.False(NegotiateStreamCodec.TryReadErrorCode([0xFE, 0x06, 0, 0, 0, 0, 0], out _));
    }
}
