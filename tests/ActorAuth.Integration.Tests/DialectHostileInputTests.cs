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

/// <summary>
/// What <see cref="HostileInputTests"/> asks of the sockauth listener, asked of the negotiate-stream and gss-sample
/// listeners in their own framings: every bad input ends the connection with one log line naming the phase and a
/// reason code, the security context is disposed, and an honest client of that dialect — an unmodified .NET
/// NegotiateStream, MIT's own gss-client — is still served on the same listener afterwards.
/// </summary>
[Collection(RealmCollection.Name)]
public sealed partial class DialectHostileInputTests(RealmFixture realm)
{
    private const string NegotiateStreamListener = "negotiate-stream";
    private const string GssSampleListener = "gss-sample";

    /// <summary>The negotiate-stream listener's entry (0 is sockauth, 1 negotiate-stream, 2 gss-sample).</summary>
    private const string NegotiateStreamEntry = "actorauth:listeners:1";

    private const string Echo = "echo";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>gss-client's opening token: NOOP|CONTEXT_NEXT with no body.</summary>
    private static readonly byte[] GssOpening = [0x11, 0, 0, 0, 0];

    public static TheoryData<string> Listeners() => new() { NegotiateStreamListener, GssSampleListener };

    private Task<TestServer> StartAsync(params (string Key, string Value)[] settings) =>
        TestServer.StartWithListenersAsync(realm, [WireDialect.NegotiateStream, WireDialect.GssSample], settings);

    // ---- wire bytes -------------------------------------------------------------------------------------------

    private static byte[] Nns(byte messageId, ReadOnlySpan<byte> payload, byte major = 1, byte minor = 0)
    {
        var message = new byte[NegotiateStreamCodec.HeaderLength + payload.Length];
        message[0] = messageId;
        message[1] = major;
        message[2] = minor;
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(3), (ushort)payload.Length);
        payload.CopyTo(message.AsSpan(NegotiateStreamCodec.HeaderLength));
        return message;
    }

    private static byte[] Gss(GssSampleFlags flags, ReadOnlySpan<byte> payload)
    {
        var writer = new ArrayBufferWriter<byte>();
        GssSampleCodec.WriteToken(writer, flags, payload);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>The bytes an honest client of <paramref name="listener"/> opens with when its first token is <paramref name="token"/>.</summary>
    private static byte[] FirstMessage(string listener, ReadOnlySpan<byte> token) => listener == NegotiateStreamListener
        ? Nns((byte)NegotiateStreamMessageId.HandshakeInProgress, token)
        : [.. GssOpening, .. Gss(GssSampleFlags.Context, token)];

    private ClientSecurityContext NewClientContext() => new(new ClientContextOptions
    {
        TargetName = RealmFixture.ServicePrincipal,
        Credential = new(realm.Realm.PrincipalOf("alice"), realm.Realm.PasswordOf("alice")),
    });

    /// <summary>A real first (SPNEGO) token for the service, as NegotiateStream and gss-client -spnego send it.</summary>
    private byte[] FirstToken()
    {
        using ClientSecurityContext client = NewClientContext();
        SecurityStatus status = client.Initialize([], out byte[]? token);
        Assert.False(status.IsError, status.ToString());
        return token!;
    }

    private static byte[] Request(string operation, ReadOnlySpan<byte> body)
    {
        var request = new ArrayBufferWriter<byte>();
        SessionMessages.WriteRequest(request, operation, body);
        return request.WrittenSpan.ToArray();
    }

    // ---- outcomes ---------------------------------------------------------------------------------------------

    private static async Task AssertTornDownAsync(TestServer server, string phase, string reason)
    {
        string line = $"closed in {phase}: {reason} (";
        Assert.True(await TestServer.EventuallyAsync(() => server.Log.Lines.Any(l => l.Contains(line, StringComparison.Ordinal) && l.Contains("127.0.0.1:", StringComparison.Ordinal))),
            $"no teardown line '{line}'\n{server.Log}");
        Assert.True(await TestServer.EventuallyAsync(() => server.Metrics.LiveContexts == 0), $"contexts left: {server.Metrics.LiveContexts}\n{server.Log}");
    }

    /// <summary>Sends <paramref name="bytes"/> on a new connection to <paramref name="listener"/> and returns what came back before the server closed it.</summary>
    private static async Task<byte[]> SendAndReadUntilClosedAsync(TestServer server, string listener, byte[] bytes)
    {
        using RawClient hostile = await RawClient.ConnectAsync(server.PortOf(listener));
        await hostile.SendAsync(bytes);
        try
        {
            return await hostile.ReadUntilClosedAsync(Timeout);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{server.Log}", e);
        }
    }

    private Task AssertHonestClientIsServedAsync(TestServer server, string listener) => listener == NegotiateStreamListener
        ? AssertNegotiateStreamClientIsServedAsync(server)
        : AssertGssClientIsServedAsync(server);

    /// <summary>An unmodified NegotiateStream authenticates, reads the greeting, and gets one echo; then its context is gone.</summary>
    private static async Task AssertNegotiateStreamClientIsServedAsync(TestServer server)
    {
        try
        {
            using var tcp = new TcpClient { NoDelay = true };
            await tcp.ConnectAsync(IPAddress.Loopback, server.PortOf(NegotiateStreamListener));
            await using (NegotiateStream stream = await AuthenticateAsync(server, tcp.GetStream()))
            {
                Assert.True(Greeting.TryParse(await ReadAsync(stream), out _), $"no greeting\n{server.Log}");
                await stream.WriteAsync(Request(Echo, "still served"u8));
                Assert.True(SessionMessages.TryReadReply(await ReadAsync(stream), out ReplyStatus status, out ReadOnlyMemory<byte> echoed), server.Log.ToString());
                Assert.Equal(ReplyStatus.Ok, status);
                Assert.Equal("still served", System.Text.Encoding.UTF8.GetString(echoed.Span));
            }
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"the honest NegotiateStream client was not served: {e.Message}\n{server.Log}", e);
        }

        Assert.True(await TestServer.EventuallyAsync(() => server.Metrics.LiveContexts == 0), $"contexts left: {server.Metrics.LiveContexts}\n{server.Log}");
    }

    /// <summary>MIT's gss-client authenticates, sends one message and verifies the server's MIC of it; then its context is gone.</summary>
    private async Task AssertGssClientIsServedAsync(TestServer server)
    {
        string[] arguments =
        [
            "-port", server.PortOf(GssSampleListener).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-user", realm.Realm.PrincipalOf("alice"), "-pass", realm.Realm.PasswordOf("alice"),
            "localhost", "actorauth@localhost", "still served",
        ];
        (int exitCode, string stdout, string stderr) = await ChildProcess.RunAsync("gss-client", realm.Realm.Environment, arguments);
        string output = $"gss-client exited {exitCode}\n{stdout}\n{stderr}\nserver log:\n{server.Log}";
        Assert.True(exitCode == 0, output);
        Assert.Contains("Signature verified.", stdout, StringComparison.Ordinal);
        Assert.True(await TestServer.EventuallyAsync(() => server.Metrics.LiveContexts == 0), $"contexts left: {server.Metrics.LiveContexts}\n{output}");
    }

    private static async Task<NegotiateStream> AuthenticateAsync(TestServer server, Stream inner)
    {
        var stream = new NegotiateStream(inner, leaveInnerStreamOpen: false);
        await stream.AuthenticateAsClientAsync(server.CredentialOf("alice"), RealmFixture.ServicePrincipal, ProtectionLevel.EncryptAndSign, TokenImpersonationLevel.Identification)
            .WaitAsync(TimeSpan.FromSeconds(15));
        return stream;
    }

    private static async Task<byte[]> ReadAsync(NegotiateStream stream)
    {
        byte[] buffer = new byte[NegotiateStreamCodec.MaxReadFrameSize];
        int read = await stream.ReadAsync(buffer).AsTask().WaitAsync(Timeout);
        return buffer[..read];
    }

    // ---- framing ----------------------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(Listeners))]
    public async Task A_declared_length_over_the_maximum_is_refused_from_the_header_as_frame_too_large(string listener)
    {
        // NegotiateStream's 16-bit size cannot exceed the default 64 KiB maximum, so that listener's is set lower.
        await using TestServer server = await StartAsync(($"{NegotiateStreamEntry}:max-frame", "4KiB"));
        byte[] header = listener == NegotiateStreamListener
            ? [0x16, 1, 0, 0xFF, 0xFF]
            : [.. GssOpening, 0x02, 0xFF, 0xFF, 0xFF, 0xFF];

        byte[] received = await SendAndReadUntilClosedAsync(server, listener, header);

        await AssertTornDownAsync(server, "handshake", "frame-too-large");
        Assert.True(received.Length == 0, $"the server answered {Convert.ToHexString(received)}\n{server.Log}");
        await AssertHonestClientIsServedAsync(server, listener);
    }

    [Theory]
    [MemberData(nameof(Listeners))]
    public async Task A_context_token_of_zero_bytes_is_refused_as_an_empty_frame(string listener)
    {
        await using TestServer server = await StartAsync();
        byte[] empty = listener == NegotiateStreamListener
            ? Nns((byte)NegotiateStreamMessageId.HandshakeInProgress, [])
            : [.. GssOpening, .. Gss(GssSampleFlags.Context, [])];

        await SendAndReadUntilClosedAsync(server, listener, empty);

        await AssertTornDownAsync(server, "handshake", "empty-frame");
        await AssertHonestClientIsServedAsync(server, listener);
    }

    [Theory]
    [MemberData(nameof(Listeners))]
    public async Task A_token_cut_off_by_a_close_is_reported_as_a_truncated_frame(string listener)
    {
        await using TestServer server = await StartAsync();
        byte[] first = FirstMessage(listener, FirstToken());
        using (RawClient hostile = await RawClient.ConnectAsync(server.PortOf(listener)))
        {
            await hostile.SendAsync(first[..(first.Length - 10)]);
        }

        await AssertTornDownAsync(server, "handshake", "truncated-frame");
        await AssertHonestClientIsServedAsync(server, listener);
    }

    // ---- handshake content ------------------------------------------------------------------------------------

    private const string Unclaimed = "bytes no mechanism claims";
    private const string RawApReq = "the raw AP-REQ tag 0x6E before garbage";
    private const string SpnegoFraming = "SPNEGO framing around garbage";
    private const string KerberosFraming = "Kerberos AP-REQ framing around garbage";

    /// <summary>
    /// Bytes no GSS-API initiator sends, and the reason MIT's answer maps to: GSS_S_DEFECTIVE_TOKEN (invalid-token)
    /// when the mechanism switch cannot tell whose token it is, GSS_S_FAILURE (security-failure) when SPNEGO or the
    /// krb5 mechanism takes it and then fails to decode it. Both are refusals by the security package.
    /// </summary>
    public static TheoryData<string, string, string> GarbageTokens()
    {
        var data = new TheoryData<string, string, string>();
        foreach (string listener in new[] { NegotiateStreamListener, GssSampleListener })
        {
            data.Add(listener, Unclaimed, "invalid-token");
            data.Add(listener, RawApReq, "security-failure");
            data.Add(listener, SpnegoFraming, "security-failure");
            data.Add(listener, KerberosFraming, "security-failure");
        }

        return data;
    }

    private static byte[] Garbage(string shape)
    {
        byte[] junk = [.. "garbage where a token belongs"u8];
        return shape switch
        {
            RawApReq => [0x6E, .. junk],
            SpnegoFraming => Framed([0x06, 0x06, 0x2B, 0x06, 0x01, 0x05, 0x05, 0x02], junk),
            KerberosFraming => Framed([0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x12, 0x01, 0x02, 0x02, 0x01, 0x00], junk),
            _ => junk,
        };

        // RFC 2743 3.1: [APPLICATION 0] { mechanism OID, inner token }.
        static byte[] Framed(byte[] oid, byte[] inner) => [0x60, (byte)(oid.Length + inner.Length), .. oid, .. inner];
    }

    [Theory]
    [MemberData(nameof(GarbageTokens))]
    public async Task A_well_framed_token_of_garbage_is_refused_with_the_reason_the_package_gives(string listener, string shape, string reason)
    {
        await using TestServer server = await StartAsync();

        await SendAndReadUntilClosedAsync(server, listener, FirstMessage(listener, Garbage(shape)));

        await AssertTornDownAsync(server, "handshake", reason);
        await AssertHonestClientIsServedAsync(server, listener);
    }

    [Theory]
    [InlineData(Unclaimed, new byte[] { 0x08, 0x03, 0x09, 0x80, 0xFF, 0xFF, 0xFF, 0xFF })]
    [InlineData(RawApReq, new byte[] { 0x04, 0x03, 0x09, 0x80, 0xFF, 0xFF, 0xFF, 0xFF })]
    public async Task A_NegotiateStream_client_whose_token_is_refused_hears_a_HandshakeError_with_an_8_byte_SSPI_code(string shape, byte[] code)
    {
        await using TestServer server = await StartAsync();

        byte[] received = await SendAndReadUntilClosedAsync(server, NegotiateStreamListener, FirstMessage(NegotiateStreamListener, Garbage(shape)));

        // 0x15, version 1.0, size 8, then SEC_E_INVALID_TOKEN (0x80090308) or SEC_E_INTERNAL_ERROR (0x80090304),
        // sign-extended, as a little-endian int64 — what .NET's own NegotiateStream sends.
        byte[] expected = [0x15, 1, 0, 0, 8, .. code];
        Assert.True(received.AsSpan().SequenceEqual(expected), $"{shape}: received {Convert.ToHexString(received)}, expected {Convert.ToHexString(expected)}\n{server.Log}");
    }

    [Fact]
    public async Task A_NegotiateStream_message_id_other_than_done_error_or_in_progress_is_a_protocol_violation()
    {
        await using TestServer server = await StartAsync();

        await SendAndReadUntilClosedAsync(server, NegotiateStreamListener, Nns(0x99, FirstToken()));

        await AssertTornDownAsync(server, "handshake", "protocol-violation");
        await AssertHonestClientIsServedAsync(server, NegotiateStreamListener);
    }

    [Fact]
    public async Task A_NegotiateStream_header_of_version_2_0_is_a_protocol_violation()
    {
        await using TestServer server = await StartAsync();

        await SendAndReadUntilClosedAsync(server, NegotiateStreamListener, Nns((byte)NegotiateStreamMessageId.HandshakeInProgress, FirstToken(), major: 2));

        await AssertTornDownAsync(server, "handshake", "protocol-violation");
        Assert.Contains(server.Log.Lines, l => l.Contains("a NegotiateStream handshake header of a version other than 1.0", StringComparison.Ordinal));
        await AssertHonestClientIsServedAsync(server, NegotiateStreamListener);
    }

    [Fact]
    public async Task A_NegotiateStream_error_message_from_the_client_ends_the_handshake_as_client_aborted()
    {
        await using TestServer server = await StartAsync();

        byte[] received = await SendAndReadUntilClosedAsync(server, NegotiateStreamListener,
            Nns((byte)NegotiateStreamMessageId.HandshakeError, NegotiateStreamCodec.ErrorPayload(NegotiateStreamCodec.TrustFailure)));

        await AssertTornDownAsync(server, "handshake", "client-aborted");
        Assert.True(received.Length == 0, $"the server answered a client's error with {Convert.ToHexString(received)}\n{server.Log}");
        await AssertHonestClientIsServedAsync(server, NegotiateStreamListener);
    }

    public static TheoryData<string, byte[]> GssSampleOpeningsWithoutNoop() => new()
    {
        { "a CONTEXT token first", [0x02, 0, 0, 0, 3, 0x60, 0x01, 0x00] },
        { "a version-1 token (no flags byte)", [0, 0, 0, 3, 0x60, 0x01, 0x00] },
        { "a DATA token first", [0x04, 0, 0, 0, 2, 0x68, 0x69] },
    };

    [Theory]
    [MemberData(nameof(GssSampleOpeningsWithoutNoop))]
    public async Task A_gss_sample_client_that_does_not_open_with_NOOP_is_a_protocol_violation(string opening, byte[] bytes)
    {
        await using TestServer server = await StartAsync();

        await SendAndReadUntilClosedAsync(server, GssSampleListener, bytes);

        await AssertTornDownAsync(server, "handshake", "protocol-violation");
        Assert.True(server.Log.Lines.Any(l => l.Contains("not NOOP", StringComparison.Ordinal)), $"{opening}: the teardown does not say NOOP was missing\n{server.Log}");
        await AssertHonestClientIsServedAsync(server, GssSampleListener);
    }

    [Fact]
    public async Task A_gss_sample_DATA_token_during_the_handshake_is_a_protocol_violation()
    {
        await using TestServer server = await StartAsync();

        await SendAndReadUntilClosedAsync(server, GssSampleListener, [.. GssOpening, .. Gss(GssSampleFlags.Data | GssSampleFlags.Wrapped | GssSampleFlags.Encrypted, FirstToken())]);

        await AssertTornDownAsync(server, "handshake", "protocol-violation");
        await AssertHonestClientIsServedAsync(server, GssSampleListener);
    }

    // ---- time -------------------------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(Listeners))]
    public async Task A_client_that_sends_nothing_is_torn_down_at_the_receive_timeout(string listener)
    {
        await using TestServer server = await StartAsync(("actorauth:server:handshake:receive-timeout", "1s"));

        await SendAndReadUntilClosedAsync(server, listener, []);

        await AssertTornDownAsync(server, "handshake", "receive-timeout");
        await AssertHonestClientIsServedAsync(server, listener);
    }

    [Theory]
    [MemberData(nameof(Listeners))]
    public async Task A_client_trickling_one_byte_at_a_time_is_torn_down_at_the_handshake_deadline(string listener)
    {
        // The receive timeout counts whole frames, so it is set longer than the deadline: only the deadline can end this.
        await using TestServer server = await StartAsync(("actorauth:server:handshake:deadline", "2s"), ("actorauth:server:handshake:receive-timeout", "10s"));
        byte[] first = FirstMessage(listener, FirstToken());
        using RawClient trickler = await RawClient.ConnectAsync(server.PortOf(listener));

        int sent = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(8));
        for (; sent < first.Length && !stop.IsCancellationRequested; sent++)
        {
            try
            {
                await trickler.SendAsync([first[sent]]);
            }
            catch (SocketException)
            {
                break; // torn down
            }

            if (server.Log.Lines.Any(l => l.Contains("handshake-deadline", StringComparison.Ordinal)))
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.True(sent < first.Length, $"all {first.Length} bytes went out before the deadline\n{server.Log}");
        await AssertTornDownAsync(server, "handshake", "handshake-deadline");
        await AssertHonestClientIsServedAsync(server, listener);
    }
}
