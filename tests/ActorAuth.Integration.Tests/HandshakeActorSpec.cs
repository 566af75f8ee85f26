using System.IO.Pipelines;
using System.Net.Security;
using ActorAuth.Protocol;
using ActorAuth.Security;
using ActorAuth.Server;
using ActorAuth.Server.Actors;
using ActorAuth.Server.Authorization;
using ActorAuth.Server.Metrics;
using ActorAuth.Server.Sessions;
using ActorAuth.Server.Tcp;
using Akka.Actor;
using Akka.TestKit;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Xunit;

namespace ActorAuth.Integration.Tests;

/// <summary>
/// The handshake actor alone, on Akka's TestScheduler (virtual time): its receive timeout, its deadline and its
/// handoff, against the real service credential of the dev realm and an in-memory connection (a pair of pipes
/// standing in for the socket, so the spec controls every byte and every tick).
/// </summary>
[Collection(RealmCollection.Name)]
public sealed class HandshakeActorSpec(RealmFixture realm) : Akka.TestKit.Xunit2.TestKit(VirtualTime)
{
    private const string VirtualTime = "akka.scheduler.implementation = \"Akka.TestKit.TestScheduler, Akka.TestKit\"";

    private readonly CapturedLog _log = new();
    private readonly ServerMetrics _metrics = new();
    private readonly ServerCredential _credential = ServerCredential.Acquire(
        new ServerCredentialOptions { Package = SecurityPackages.Negotiate, RequiredProtectionLevel = ProtectionLevel.EncryptAndSign });
    private readonly Pipe _toServer = new();
    private readonly Pipe _fromServer = new();

    private TestScheduler Time => (TestScheduler)Sys.Scheduler;

    private static readonly ServerOptions Options = new()
    {
        HandshakeReceiveTimeout = TimeSpan.FromSeconds(10),
        HandshakeDeadline = TimeSpan.FromSeconds(30),
    };

    /// <summary>A handshake actor for a fresh in-memory connection, child of a parent that forwards to <c>TestActor</c>.</summary>
    private (IActorRef Actor, ClientConnection Connection) StartHandshake(ServerOptions options)
    {
        var transport = new DefaultConnectionContext("spec", new Duplex(_toServer.Reader, _fromServer.Writer), new Duplex(_fromServer.Reader, _toServer.Writer));
        ILoggerFactory loggers = LoggerFactory.Create(logging => logging.AddProvider(_log));
        var connection = new ClientConnection(1, transport, _metrics, loggers.CreateLogger<ClientConnection>(), TimeSpan.FromSeconds(30));
        var settings = new SessionSettings(options, AccessPolicy.From(new ConfigurationBuilder().Build()), new SessionHandlers([new EchoHandler()], EchoHandler.Name), _metrics, loggers);
        IActorRef actor = ChildActorOf(Props.Create<HandshakeActor>(connection, _credential, settings));
        Watch(actor);
        return (actor, connection);
    }

    private async Task SendTokenAsync(ReadOnlyMemory<byte> token)
    {
        FrameCodec.WriteFrame(_toServer.Writer, token.Span);
        await _toServer.Writer.FlushAsync();
    }

    private byte[] InitialToken(string package)
    {
        using var client = new ClientSecurityContext(new ClientContextOptions
        {
            Package = package,
            TargetName = RealmFixture.ServicePrincipal,
            Credential = new(realm.Realm.PrincipalOf("alice"), realm.Realm.PasswordOf("alice")),
        });
        Assert.False(client.Initialize([], out byte[]? token).IsError);
        return token!;
    }

    private string Lines => _log.ToString();

    [Fact]
    public void A_client_silent_for_the_receive_timeout_is_torn_down_and_its_context_disposed()
    {
        (IActorRef actor, ClientConnection connection) = StartHandshake(Options);
        AwaitCondition(() => _metrics.LiveContexts == 1);

        Time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.False(connection.IsShutDown, Lines);
        Time.Advance(TimeSpan.FromSeconds(0.1));

        ExpectTerminated(actor);
        Assert.Contains("closed in handshake: receive-timeout (no token for 10 s after 0 leg(s))", Lines, StringComparison.Ordinal);
        Assert.Equal(0, _metrics.LiveContexts);
    }

    [Fact]
    public void The_handshake_deadline_ends_a_handshake_the_receive_timeout_would_still_allow()
    {
        (IActorRef actor, _) = StartHandshake(Options with { HandshakeReceiveTimeout = TimeSpan.FromSeconds(60), HandshakeDeadline = TimeSpan.FromSeconds(3) });
        AwaitCondition(() => _metrics.LiveContexts == 1);

        Time.Advance(TimeSpan.FromSeconds(3));

        ExpectTerminated(actor);
        Assert.Contains("closed in handshake: handshake-deadline", Lines, StringComparison.Ordinal);
        Assert.Equal(0, _metrics.LiveContexts);
    }

    [Fact]
    public async Task A_completed_handshake_hands_its_live_context_to_the_parent_and_stops()
    {
        (IActorRef actor, ClientConnection connection) = StartHandshake(Options);

        await SendTokenAsync(InitialToken(SecurityPackages.Kerberos));

        HandshakeSucceeded handoff = ExpectMsg<HandshakeSucceeded>();
        ExpectTerminated(actor);
        Assert.Equal("alice@ACTORAUTH.TEST", handoff.ClientPrincipal);
        Assert.Same(connection, handoff.Connection);
        Assert.True(handoff.SecurityContext.IsCompleted);
        Assert.Equal(1, _metrics.LiveContexts);
        Assert.False(connection.IsShutDown, Lines);
        handoff.SecurityContext.Dispose();
    }

    [Fact]
    public async Task A_token_the_package_rejects_ends_the_handshake_with_the_packages_reason()
    {
        (IActorRef actor, _) = StartHandshake(Options);

        await SendTokenAsync("not a token"u8.ToArray());

        ExpectTerminated(actor);
        Assert.Contains("closed in handshake:", Lines, StringComparison.Ordinal);
        Assert.Equal(0, _metrics.LiveContexts);
        Assert.Equal(1, _metrics.HandshakesFailed);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _credential.Dispose();
            _metrics.Dispose();
        }
    }

    private sealed record Duplex(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}
