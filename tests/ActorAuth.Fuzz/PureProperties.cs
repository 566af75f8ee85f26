using System.Buffers;
using System.Buffers.Binary;
using ActorAuth.Protocol;
using FsCheck;
using Xunit;
using Xunit.Abstractions;

namespace ActorAuth.Fuzz;

/// <summary>
/// Property-based fuzzing of the pure decoders (FsCheck, fixed seed): whatever the bytes and however they
/// are cut into segments, the framer never throws, never reads past the declared length, never allocates,
/// and frames it wrote read back the same; the plaintext parsers never throw on any bytes. A failure prints
/// the seed and FsCheck's shrunk counterexample as hex.
/// </summary>
public sealed class PureProperties(ITestOutputHelper output)
{
    private const int SuiteTests = 400;

    [Fact]
    public void The_framer_never_throws_never_reads_past_the_declared_length_and_never_allocates() =>
        Run(nameof(The_framer_never_throws_never_reads_past_the_declared_length_and_never_allocates), Inputs.Segmented(), FramerHolds);

    [Fact]
    public void The_NegotiateStream_and_gss_sample_framers_never_throw_never_read_past_the_declared_length_and_never_allocate() =>
        Run(nameof(The_NegotiateStream_and_gss_sample_framers_never_throw_never_read_past_the_declared_length_and_never_allocate), Inputs.Segmented(), DialectFramersHold);

    [Fact]
    public void Frames_written_then_cut_into_random_segments_read_back_the_same() =>
        Run(nameof(Frames_written_then_cut_into_random_segments_read_back_the_same), Inputs.Framed(), RoundTrips);

    [Fact]
    public void The_plaintext_parsers_never_throw_and_what_they_accept_writes_back_the_same() =>
        Run(nameof(The_plaintext_parsers_never_throw_and_what_they_accept_writes_back_the_same), Inputs.Plaintext(), ParsersHold);

    [Fact]
    public void The_PROXY_header_reader_never_throws_consumes_only_a_whole_header_and_reads_the_same_however_the_bytes_are_cut() =>
        Run(nameof(The_PROXY_header_reader_never_throws_consumes_only_a_whole_header_and_reads_the_same_however_the_bytes_are_cut), Inputs.ProxyHeaders(), ProxyHeaderHolds);

    [Fact]
    public void An_oversize_header_is_refused_without_allocating_whatever_follows_it()
    {
        // Pinned, not generated: the cases the issue names (max+1, 2^31, 4 GiB), split at every point of the header.
        foreach (uint declared in new uint[] { 65537, 0x8000_0000, 0xFFFF_FFFF })
        {
            var bytes = new byte[4 + 16];
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, declared);
            for (int cut = 1; cut < bytes.Length; cut++)
            {
                ReadOnlySequence<byte> buffer = Segments.Split(bytes, cut);
                long before = GC.GetAllocatedBytesForCurrentThread();
                FrameStatus status = FrameCodec.TryReadFrame(ref buffer, 65536, out _, out uint seen);
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                Assert.Equal(FrameStatus.FrameTooLarge, status);
                Assert.Equal(declared, seen);
                Assert.Equal(0, allocated);
                Assert.Equal(bytes.Length, buffer.Length);
            }
        }
    }

    [Fact]
    public void A_request_whose_operation_name_has_non_ASCII_bytes_is_refused_not_read_as_question_marks()
    {
        // Minimal input: op-length 1, name byte 0x80 (not ASCII). Also 03 'e' ff 'o' → "e?o".
        Assert.False(SessionMessages.TryReadRequest(new byte[] { 0x01, 0x80 }, out string operation, out _, out _), $"read as operation '{operation}'");
        Assert.False(SessionMessages.TryReadRequest(new byte[] { 0x03, 0x65, 0xFF, 0x6F }, out operation, out _, out _), $"read as operation '{operation}'");
    }

    private void Run<T>(string name, Arbitrary<T> arbitrary, Action<T> property) =>
        Properties.Run(output, name, arbitrary, property, SuiteTests);

    private static void FramerHolds(SegmentedBytes input)
    {
        ReadOnlySequence<byte> buffer = Segments.Split(input.Bytes, input.Cuts);
        long position = 0;
        for (int frames = 0; frames <= input.Bytes.Length; frames++)
        {
            long lengthBefore = buffer.Length;
            long before = GC.GetAllocatedBytesForCurrentThread();
            FrameStatus status = FrameCodec.TryReadFrame(ref buffer, input.MaxFrameLength, out ReadOnlySequence<byte> payload, out uint declared);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated == 0, $"TryReadFrame allocated {allocated} bytes ({status})");

            long remaining = input.Bytes.Length - position;
            uint header = remaining >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(input.Bytes.AsSpan((int)position)) : 0;
            FrameStatus expected =
                remaining < 4 ? FrameStatus.Incomplete
                : header == 0 ? FrameStatus.EmptyFrame
                : header > (uint)input.MaxFrameLength ? FrameStatus.FrameTooLarge
                : remaining < 4L + header ? FrameStatus.Incomplete
                : FrameStatus.Complete;
            Assert.Equal(expected, status);
            if (status != FrameStatus.Complete)
            {
                Assert.Equal(lengthBefore, buffer.Length);
                Assert.Equal(remaining >= 4 ? header : 0u, declared);
                return;
            }

            // Exactly the declared bytes, and the buffer now starts right after them.
            Assert.Equal(header, declared);
            Assert.Equal(declared, (uint)payload.Length);
            Assert.True(payload.ToArray().AsSpan().SequenceEqual(input.Bytes.AsSpan((int)position + 4, (int)declared)), "payload is not the declared slice");
            position += 4 + declared;
            Assert.Equal(input.Bytes.Length - position, buffer.Length);
            Assert.True(buffer.ToArray().AsSpan().SequenceEqual(input.Bytes.AsSpan((int)position)), "the rest of the buffer moved");
        }

        Assert.Fail("more frames than bytes");
    }

    private static void ProxyHeaderHolds(SegmentedBytes input)
    {
        var whole = new ReadOnlySequence<byte>(input.Bytes);
        ProxyHeaderStatus expected = ProxyHeader.TryRead(ref whole, input.MaxFrameLength, out System.Net.IPEndPoint? expectedSource, out _);
        ReadOnlySequence<byte> buffer = Segments.Split(input.Bytes, input.Cuts);
        long lengthBefore = buffer.Length;
        ProxyHeaderStatus status = ProxyHeader.TryRead(ref buffer, input.MaxFrameLength, out System.Net.IPEndPoint? source, out System.Net.IPEndPoint? destination);
        _ = ProxyHeader.IsHeaderStart(buffer);

        Assert.Equal(expected, status);
        Assert.Equal(expectedSource, source);
        Assert.Equal(whole.Length, buffer.Length);
        long consumed = lengthBefore - buffer.Length;
        if (status != ProxyHeaderStatus.Complete)
        {
            Assert.True(consumed == 0 && source is null && destination is null, $"{status} consumed {consumed} bytes or named {source}");
            return;
        }

        // A whole header: never more than the maximum, and the bytes after it are left as they were.
        Assert.True(consumed >= ProxyHeader.V2FixedLength - 1 && consumed <= input.MaxFrameLength, $"consumed {consumed} (maximum {input.MaxFrameLength})");
        Assert.True(buffer.ToArray().AsSpan().SequenceEqual(input.Bytes.AsSpan((int)consumed)), "the bytes after the header moved");
        Assert.True((source is null) == (destination is null), "one endpoint without the other");
    }

    private static void DialectFramersHold(SegmentedBytes input)
    {
        foreach (FrameFormat format in new[] { FrameFormat.NegotiateStreamHandshake, FrameFormat.GssSample })
        {
            ReadOnlySequence<byte> buffer = Segments.Split(input.Bytes, input.Cuts);
            for (int frames = 0; frames <= input.Bytes.Length; frames++)
            {
                long lengthBefore = buffer.Length;
                long before = GC.GetAllocatedBytesForCurrentThread();
                FrameStatus status = WireFrames.TryRead(format, ref buffer, input.MaxFrameLength, out _, out ReadOnlySequence<byte> payload, out uint declared);
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                Assert.True(allocated == 0, $"{format}: TryRead allocated {allocated} bytes ({status})");
                if (status != FrameStatus.Complete)
                {
                    Assert.Equal(lengthBefore, buffer.Length);
                    Assert.True(status != FrameStatus.FrameTooLarge || declared > (uint)input.MaxFrameLength, $"{format}: refused {declared} under the maximum {input.MaxFrameLength}");
                    break;
                }

                // A header of 4 (gss-sample's version-1 form) or 5 bytes, then exactly the declared payload.
                Assert.Equal(declared, (uint)payload.Length);
                Assert.True(declared <= (uint)input.MaxFrameLength, $"{format}: accepted {declared} over the maximum {input.MaxFrameLength}");
                long consumed = lengthBefore - buffer.Length;
                Assert.True(consumed - declared is 4 or 5, $"{format}: consumed {consumed} bytes for a {declared}-byte payload");
            }
        }
    }

    private static void RoundTrips(FramedPayloads input)
    {
        const int max = 128 * 1024;
        var writer = new ArrayBufferWriter<byte>();
        foreach (byte[] payload in input.Payloads)
        {
            FrameCodec.WriteFrame(writer, payload, max);
        }

        byte[] stream = writer.WrittenSpan.ToArray();

        // All at once, in segments.
        ReadOnlySequence<byte> buffer = Segments.Split(stream, input.Cuts);
        var read = new List<byte[]>();
        while (FrameCodec.TryReadFrame(ref buffer, max, out ReadOnlySequence<byte> payload, out _) == FrameStatus.Complete)
        {
            read.Add(payload.ToArray());
        }

        Assert.Equal(0, buffer.Length);
        AssertSame(input.Payloads, read);

        // As a pipe delivers it: the cuts are arrivals; read what is whole, keep the rest (Incomplete consumes nothing).
        read.Clear();
        int consumed = 0;
        foreach (int arrived in input.Cuts.Append(stream.Length))
        {
            var pending = new ReadOnlySequence<byte>(stream.AsMemory(consumed, arrived - consumed));
            FrameStatus status;
            while ((status = FrameCodec.TryReadFrame(ref pending, max, out ReadOnlySequence<byte> payload, out _)) == FrameStatus.Complete)
            {
                read.Add(payload.ToArray());
            }

            Assert.Equal(FrameStatus.Incomplete, status);
            consumed = arrived - (int)pending.Length;
        }

        Assert.Equal(stream.Length, consumed);
        AssertSame(input.Payloads, read);
    }

    private static void AssertSame(byte[][] expected, List<byte[]> actual)
    {
        Assert.Equal(expected.Length, actual.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(expected[i].AsSpan().SequenceEqual(actual[i]), $"frame {i} differs");
        }
    }

    private static void ParsersHold(Blob input)
    {
        byte[] bytes = input.Bytes;
        if (SessionMessages.TryReadRequest(bytes, out string operation, out ReadOnlyMemory<byte> body, out _))
        {
            var again = new ArrayBufferWriter<byte>();
            SessionMessages.WriteRequest(again, operation, body.Span);
            Assert.True(again.WrittenSpan.SequenceEqual(bytes), "a request read then written differs");
        }

        if (SessionMessages.TryReadReply(bytes, out ReplyStatus status, out ReadOnlyMemory<byte> replyBody))
        {
            var again = new ArrayBufferWriter<byte>();
            SessionMessages.WriteReply(again, status, replyBody.Span);
            Assert.True(again.WrittenSpan.SequenceEqual(bytes), "a reply read then written differs");
        }

        if (Greeting.TryParse(bytes, out Greeting? greeting))
        {
            Assert.NotNull(greeting);
            Assert.True(Greeting.TryParse(greeting.ToUtf8(), out Greeting? again) && again is not null, "a parsed greeting does not parse again");
        }
    }
}
