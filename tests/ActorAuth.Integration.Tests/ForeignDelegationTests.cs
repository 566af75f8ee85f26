using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Principal;
using System.Text;
using ActorAuth.Protocol;
using Xunit;

namespace ActorAuth.Integration.Tests;

/// <summary>Clients nobody here wrote delegate to ActorAuth too: .NET's NegotiateStream and MIT's gss-client -d.</summary>
[Collection(RealmCollection.Name)]
public sealed class ForeignDelegationTests(RealmFixture realm)
{
    [Fact]
    public async Task A_NegotiateStream_client_granting_delegation_is_forwarded_to_the_second_service_as_itself()
    {
        await using TestServer s2 = await TestServer.StartAsync(realm);
        await using TestServer s1 = await TestServer.StartWithListenersAsync(realm, [WireDialect.NegotiateStream], ("actorauth:server:delegation:targets:0", $"127.0.0.1:{s2.Port}"));
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(IPAddress.Loopback, s1.PortOf("negotiate-stream"));
        await using var stream = new NegotiateStream(tcp.GetStream());
        await stream.AuthenticateAsClientAsync(s1.CredentialOf("alice"), RealmFixture.ServicePrincipal, ProtectionLevel.EncryptAndSign, TokenImpersonationLevel.Delegation)
            .WaitAsync(TimeSpan.FromSeconds(15));
        byte[] buffer = new byte[NegotiateStreamCodec.MaxReadFrameSize];
        _ = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10)); // the greeting

        var request = new System.Buffers.ArrayBufferWriter<byte>();
        SessionMessages.WriteRequest(request, "forward-whoami", Encoding.UTF8.GetBytes($"127.0.0.1:{s2.Port} {RealmFixture.ServicePrincipal}"));
        await stream.WriteAsync(request.WrittenMemory);
        int read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(15));

        Assert.True(SessionMessages.TryReadReply(buffer.AsMemory(0, read), out ReplyStatus status, out ReadOnlyMemory<byte> body));
        Assert.True(status == ReplyStatus.Ok, $"{status}: {Encoding.UTF8.GetString(body.Span)}\nS1:\n{s1.Log}");
        Assert.Equal("alice@ACTORAUTH.TEST", Encoding.UTF8.GetString(body.Span));
    }

    [Fact]
    public async Task MITs_gss_client_with_d_delegates_and_the_second_service_sees_its_user()
    {
        await using TestServer s2 = await TestServer.StartAsync(realm);
        await using TestServer s1 = await TestServer.StartAsync(realm, [],
            ("actorauth:server:delegation:targets:0", $"127.0.0.1:{s2.Port}"), ("actorauth:listeners:0:kind", "gss-sample"),
            ("actorauth:listeners:0:session:default-operation", "forward-whoami"));

        (int exitCode, string stdout, string stderr) = await ChildProcess.RunAsync("gss-client", realm.Realm.Environment,
            "-port", $"{s1.Port}", "-d", "-user", realm.Realm.PrincipalOf("bob"), "-pass", realm.Realm.PasswordOf("bob"),
            "localhost", "actorauth@localhost", $"127.0.0.1:{s2.Port} {RealmFixture.ServicePrincipal}");

        Assert.True(exitCode == 0, $"gss-client exited {exitCode}\n{stdout}\n{stderr}\nS1:\n{s1.Log}");
        Assert.True(await TestServer.EventuallyAsync(() => s2.Log.ToString().Contains("session started for bob@ACTORAUTH.TEST", StringComparison.Ordinal)),
            $"S2 never saw bob\nS1:\n{s1.Log}\nS2:\n{s2.Log}");
        Assert.Contains("delegated credential held", s1.Log.ToString(), StringComparison.Ordinal);
    }
}
