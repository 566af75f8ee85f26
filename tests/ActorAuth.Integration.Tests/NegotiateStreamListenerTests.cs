using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Principal;
using ActorAuth.Protocol;
using Xunit;

namespace ActorAuth.Integration.Tests;

/// <summary>
/// An unmodified .NET <see cref="NegotiateStream"/> client — the one a .NET user already has — authenticates to a
/// negotiate-stream listener with mutual authentication, reads the greeting, and sends one ActorAuth request per
/// write, one reply per read.
/// </summary>
[Collection(RealmCollection.Name)]
public sealed class NegotiateStreamListenerTests(RealmFixture realm)
{
    private const string Listener = "negotiate-stream";

    private async Task<(TestServer Server, NegotiateStream Stream)> AuthenticateAsync(string provider = "auto", string spn = RealmFixture.ServicePrincipal)
    {
        TestServer server = await TestServer.StartWithListenersAsync(realm, [WireDialect.NegotiateStream], ("actorauth:server:security-provider", provider));
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(IPAddress.Loopback, server.PortOf(Listener));
        var stream = new NegotiateStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        try
        {
            await stream.AuthenticateAsClientAsync(server.CredentialOf("alice"), spn, ProtectionLevel.EncryptAndSign, TokenImpersonationLevel.Identification)
                .WaitAsync(TimeSpan.FromSeconds(15));
            return (server, stream);
        }
        catch
        {
            await stream.DisposeAsync();
            await server.DisposeAsync();
            throw;
        }
    }

    private static async Task<byte[]> ReadReplyAsync(NegotiateStream stream)
    {
        byte[] buffer = new byte[NegotiateStreamCodec.MaxReadFrameSize];
        int read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        return buffer[..read];
    }

    private static byte[] Request(ReadOnlySpan<byte> body, string operation = "")
    {
        var request = new System.Buffers.ArrayBufferWriter<byte>();
        SessionMessages.WriteRequest(request, operation, body);
        return request.WrittenSpan.ToArray();
    }

    [Theory]
    [InlineData("gssapi")]
    [InlineData("negotiate-authentication")]
    public async Task A_NegotiateStream_client_authenticates_mutually_with_Kerberos_and_reads_the_greeting(string provider)
    {
        (TestServer server, NegotiateStream stream) = await AuthenticateAsync(provider);
        await using (server)
        await using (stream)
        {
            Assert.True(stream.IsMutuallyAuthenticated, server.Log.ToString());
            Assert.True(stream.IsEncrypted);
            Assert.True(Greeting.TryParse(await ReadReplyAsync(stream), out Greeting? greeting), server.Log.ToString());
            Assert.Equal(realm.Realm.PrincipalOf("alice"), greeting!.Client);
            Assert.Equal("Kerberos", greeting.Package);
            Assert.Contains("echo", greeting.Operations ?? []);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(60 * 1024)]
    [InlineData(NegotiateStreamCodec.MaxWriteDataSize - 1)]
    public async Task Each_write_is_one_request_and_each_read_its_reply(int size)
    {
        (TestServer server, NegotiateStream stream) = await AuthenticateAsync();
        await using (server)
        await using (stream)
        {
            await ReadReplyAsync(stream);
            byte[] body = new byte[size];
            Random.Shared.NextBytes(body);

            await stream.WriteAsync(Request(body));
            byte[] reply = await ReadReplyAsync(stream);

            Assert.True(SessionMessages.TryReadReply(reply, out ReplyStatus status, out ReadOnlyMemory<byte> echoed), $"{reply.Length} bytes\n{server.Log}");
            Assert.Equal(ReplyStatus.Ok, status);
            Assert.True(echoed.Span.SequenceEqual(body), $"echo of {echoed.Length} bytes for {size}");
        }
    }

    [Fact]
    public async Task The_whoami_operation_names_the_client_as_the_service_sees_it()
    {
        (TestServer server, NegotiateStream stream) = await AuthenticateAsync();
        await using (server)
        await using (stream)
        {
            await ReadReplyAsync(stream);
            await stream.WriteAsync(Request([], "whoami"));
            Assert.True(SessionMessages.TryReadReply(await ReadReplyAsync(stream), out ReplyStatus status, out ReadOnlyMemory<byte> body));
            Assert.Equal(ReplyStatus.Ok, status);
            Assert.Contains(realm.Realm.PrincipalOf("alice"), System.Text.Encoding.UTF8.GetString(body.Span), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_SPN_the_server_has_no_key_for_is_refused_with_the_clients_AuthenticationException_and_a_reason_code()
    {
        await using TestServer server = await TestServer.StartWithListenersAsync(realm, [WireDialect.NegotiateStream]);
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(IPAddress.Loopback, server.PortOf(Listener));
        await using var stream = new NegotiateStream(tcp.GetStream(), leaveInnerStreamOpen: false);

        AuthenticationException refused = await Assert.ThrowsAnyAsync<AuthenticationException>(() =>
            stream.AuthenticateAsClientAsync(server.CredentialOf("alice"), RealmFixture.KeylessServicePrincipal, ProtectionLevel.EncryptAndSign, TokenImpersonationLevel.Identification)
                .WaitAsync(TimeSpan.FromSeconds(15)));

        Assert.True(await TestServer.EventuallyAsync(() => server.Log.Lines.Any(l => l.Contains("closed in handshake: invalid-credentials", StringComparison.Ordinal) || l.Contains("closed in handshake: unknown-credentials", StringComparison.Ordinal))),
            $"{refused.GetType().Name}: {refused.Message}\n{server.Log}");
        Assert.True(await TestServer.EventuallyAsync(() => server.Metrics.LiveContexts == 0), server.Log.ToString());
    }

    [Fact]
    public async Task A_Kerberos_only_service_serves_NegotiateStream_whose_SPNEGO_negotiates_Kerberos()
    {
        await using TestServer server = await TestServer.StartWithListenersAsync(realm, [WireDialect.NegotiateStream], ("actorauth:server:package", "Kerberos"));
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(IPAddress.Loopback, server.PortOf(Listener));
        await using var stream = new NegotiateStream(tcp.GetStream(), leaveInnerStreamOpen: false);

        await stream.AuthenticateAsClientAsync(server.CredentialOf("alice"), RealmFixture.ServicePrincipal, ProtectionLevel.EncryptAndSign, TokenImpersonationLevel.Identification)
            .WaitAsync(TimeSpan.FromSeconds(15));

        Assert.True(stream.IsMutuallyAuthenticated, server.Log.ToString());
        Assert.True(Greeting.TryParse(await ReadReplyAsync(stream), out Greeting? greeting), server.Log.ToString());
        Assert.Equal("Kerberos", greeting!.Package);
    }

    [Fact]
    public async Task Every_context_is_disposed_once_NegotiateStream_clients_have_gone()
    {
        (TestServer server, NegotiateStream stream) = await AuthenticateAsync();
        await using (server)
        {
            await ReadReplyAsync(stream);
            await stream.DisposeAsync();

            Assert.True(await TestServer.EventuallyAsync(() => server.Metrics.LiveContexts == 0 && server.Metrics.LiveSessions == 0), server.Log.ToString());
        }
    }
}
