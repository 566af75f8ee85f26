using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Principal;
using ActorAuth.Protocol;
using ActorAuth.Security;
using Xunit;

namespace ActorAuth.Integration.Tests;

/// <summary>The session phase of <see cref="DialectHostileInputTests"/>: bad data frames after a real handshake.</summary>
public sealed partial class DialectHostileInputTests
{
    [Fact]
    public async Task A_tampered_NegotiateStream_data_frame_ends_the_session_as_message_altered()
    {
        await using TestServer server = await StartAsync();
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(IPAddress.Loopback, server.PortOf(NegotiateStreamListener));
        var tampering = new TamperingStream(tcp.GetStream());
        await using (NegotiateStream stream = await AuthenticateAsync(server, tampering))
        {
            Assert.True(Greeting.TryParse(await ReadAsync(stream), out _), server.Log.ToString());
            await stream.WriteAsync(Request(Echo, "first, intact"u8));
            Assert.True(SessionMessages.TryReadReply(await ReadAsync(stream), out ReplyStatus status, out _) && status == ReplyStatus.Ok, server.Log.ToString());

            tampering.FlipLastByteOfNextBody = true;
            await stream.WriteAsync(Request(Echo, "second, tampered"u8));

            Assert.False(tampering.FlipLastByteOfNextBody, "NegotiateStream wrote no frame body to tamper with");
            await AssertTornDownAsync(server, "session", "message-altered");
        }

        await AssertHonestClientIsServedAsync(server, NegotiateStreamListener);
    }

    [Fact]
    public async Task A_NegotiateStream_data_frame_that_is_not_a_wrap_token_ends_the_session_as_a_protocol_violation()
    {
        await using TestServer server = await StartAsync();
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(IPAddress.Loopback, server.PortOf(NegotiateStreamListener));
        NetworkStream inner = tcp.GetStream();
        var stream = new NegotiateStream(inner, leaveInnerStreamOpen: true);
        await using (stream)
        {
            await stream.AuthenticateAsClientAsync(server.CredentialOf("alice"), RealmFixture.ServicePrincipal, ProtectionLevel.EncryptAndSign, TokenImpersonationLevel.Identification)
                .WaitAsync(TimeSpan.FromSeconds(15));
            Assert.True(Greeting.TryParse(await ReadAsync(stream), out _), server.Log.ToString());

            byte[] garbage = [.. "garbage where a wrap token belongs"u8];
            await inner.WriteAsync((byte[])[.. BitConverter.GetBytes(garbage.Length), .. garbage]);

            await AssertTornDownAsync(server, "session", "protocol-violation");
        }

        await AssertHonestClientIsServedAsync(server, NegotiateStreamListener);
    }

    [Fact]
    public async Task A_tampered_gss_sample_message_ends_the_session_as_message_altered()
    {
        await using TestServer server = await StartAsync();
        using (GssSampleSession session = await GssSampleSession.ConnectAsync(server, NewClientContext()))
        {
            await session.SendMessageAndVerifyMicAsync("first, intact"u8.ToArray());

            byte[] token = session.Wrap("second, tampered"u8);
            token[^1] ^= 0x01;
            await session.Raw.SendAsync(Gss(GssSampleFlags.Data | GssSampleFlags.Wrapped | GssSampleFlags.Encrypted | GssSampleFlags.SendMic, token));
            await session.Raw.ReadUntilClosedAsync(Timeout);

            await AssertTornDownAsync(server, "session", "message-altered");
        }

        await AssertHonestClientIsServedAsync(server, GssSampleListener);
    }

    [Fact]
    public async Task A_gss_sample_message_in_the_clear_ends_the_session_as_protection_requirements_not_met()
    {
        await using TestServer server = await StartAsync();
        using (GssSampleSession session = await GssSampleSession.ConnectAsync(server, NewClientContext()))
        {
            await session.Raw.SendAsync(Gss(GssSampleFlags.Data | GssSampleFlags.SendMic, "in the clear"u8));
            await session.Raw.ReadUntilClosedAsync(Timeout);

            await AssertTornDownAsync(server, "session", "protection-requirements-not-met");
        }

        await AssertHonestClientIsServedAsync(server, GssSampleListener);
    }

    /// <summary>A gss-sample client of raw bytes: a real handshake with <see cref="ClientSecurityContext"/>, then messages the test builds.</summary>
    private sealed class GssSampleSession : IDisposable
    {
        private readonly TestServer _server;
        private readonly ClientSecurityContext _context;

        private GssSampleSession(TestServer server, RawClient raw, ClientSecurityContext context)
        {
            _server = server;
            Raw = raw;
            _context = context;
        }

        public RawClient Raw { get; }

        public static async Task<GssSampleSession> ConnectAsync(TestServer server, ClientSecurityContext context)
        {
            var session = new GssSampleSession(server, await RawClient.ConnectAsync(server.PortOf(GssSampleListener)), context);
            await session.Raw.SendAsync(GssOpening);
            SecurityStatus status = context.Initialize([], out byte[]? token);
            while (true)
            {
                Assert.False(status.IsError, $"{status}\n{server.Log}");
                if (token is { Length: > 0 })
                {
                    await session.Raw.SendAsync(Gss(GssSampleFlags.Context, token));
                }

                if (status.Code == SecurityStatusCode.Completed)
                {
                    return session;
                }

                (GssSampleFlags flags, byte[] reply) = await session.ReceiveAsync();
                Assert.True(flags == GssSampleFlags.Context, $"a handshake answer with flags {flags}\n{server.Log}");
                status = context.Initialize(reply, out token);
            }
        }

        public byte[] Wrap(ReadOnlySpan<byte> message)
        {
            var token = new ArrayBufferWriter<byte>();
            SecurityStatus status = _context.Wrap(message, encrypt: true, token);
            Assert.False(status.IsError, status.ToString());
            return token.WrittenSpan.ToArray();
        }

        /// <summary>Sends one message as gss-client does by default and checks the server's MIC of it, so the session is known to work.</summary>
        public async Task SendMessageAndVerifyMicAsync(byte[] message)
        {
            await Raw.SendAsync(Gss(GssSampleFlags.Data | GssSampleFlags.Wrapped | GssSampleFlags.Encrypted | GssSampleFlags.SendMic, Wrap(message)));
            (GssSampleFlags flags, byte[] mic) = await ReceiveAsync();
            Assert.True(flags == GssSampleFlags.Mic, $"an answer with flags {flags}\n{_server.Log}");
            SecurityStatus status = _context.VerifyMic(message, mic);
            Assert.False(status.IsError, $"{status}\n{_server.Log}");
        }

        private async Task<(GssSampleFlags Flags, byte[] Payload)> ReceiveAsync()
        {
            byte[] header = await Raw.ReceiveBytesAsync(GssSampleCodec.HeaderLength, Timeout)
                ?? throw new InvalidOperationException($"the server closed the connection\n{_server.Log}");
            int length = checked((int)BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1)));
            byte[] payload = await Raw.ReceiveBytesAsync(length, Timeout)
                ?? throw new InvalidOperationException($"the server closed the connection inside a {length}-byte token\n{_server.Log}");
            return ((GssSampleFlags)header[0], payload);
        }

        public void Dispose()
        {
            Raw.Dispose();
            _context.Dispose();
        }
    }

    /// <summary>
    /// Passes everything through, except that once <see cref="FlipLastByteOfNextBody"/> is set it flips the last
    /// byte of the next write longer than a 4-byte frame header — the end of a wrap token's checksum.
    /// </summary>
    private sealed class TamperingStream(Stream inner) : Stream
    {
        public volatile bool FlipLastByteOfNextBody;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(Tamper(buffer.AsMemory(offset, count)).Span);
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.WriteAsync(Tamper(buffer.AsMemory(offset, count)), cancellationToken).AsTask();
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(Tamper(buffer), cancellationToken);

        private ReadOnlyMemory<byte> Tamper(ReadOnlyMemory<byte> buffer)
        {
            if (!FlipLastByteOfNextBody || buffer.Length <= 4)
            {
                return buffer;
            }

            FlipLastByteOfNextBody = false;
            byte[] copy = buffer.ToArray();
            copy[^1] ^= 0x01;
            return copy;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
