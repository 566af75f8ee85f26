using System.Net.Security;
using System.Security.Principal;
using System.Text;
using ActorAuth.Client;
using ActorAuth.Server.Hosting;
using ActorAuth.Server.Sessions;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit;

namespace ActorAuth.Integration.Tests;

/// <summary>
/// An Akka.NET back end adds ActorAuth to its own actor system (<c>AddAkka(...).WithActorAuth(...)</c>) and serves
/// operations with its own actors and with plain handlers; ActorAuth stops with the system's CoordinatedShutdown and,
/// stopped alone, leaves the application's actors running.
/// </summary>
[Collection(RealmCollection.Name)]
public sealed class AkkaEmbeddingTests(RealmFixture realm) : IAsyncLifetime
{
    private readonly CapturedLog _log = new();
    private IHost? _host;

    private ActorSystem System => _host!.Services.GetRequiredService<ActorSystem>();

    private ActorAuthServer Server => ActorAuthExtension.Get(System).Server;

    /// <summary>The application: actor system "app" with a greeter and a silent actor, and ActorAuth serving both and a plain handler.</summary>
    private async Task StartAppAsync(params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?> { ["actorauth:server:port"] = "0" };
        foreach ((string key, string value) in settings)
        {
            values[key] = value;
        }

        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders().AddProvider(_log).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddAkka("app", akka => akka
            .WithActors((system, registry) =>
            {
                registry.Register<Greeter>(system.ActorOf(Props.Create<Greeter>(), "greeter"));
                registry.Register<Silent>(system.ActorOf(Props.Create<Silent>(), "silent"));
            })
            .WithActorAuth(configuration, auth => auth
                .AddOperation<Greeter>("greet")
                .AddOperation<Silent>("stall")
                .AddHandler(new ShoutHandler())));
        _host = builder.Build();
        await _host.StartAsync();
    }

    private Task<AuthenticatedChannel> ConnectAsync(string user = "alice") =>
        ActorAuthClient.ConnectAsync("127.0.0.1", Server.EndPoint.Port, RealmFixture.ServicePrincipal,
            new ActorAuthClientOptions { Credential = new(user, realm.Realm.PasswordOf(user)) });

    private static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);

    [Fact]
    public async Task ActorAuths_actors_run_in_the_applications_own_actor_system()
    {
        await StartAppAsync();

        Assert.Equal("app", Server.Connections.Path.Address.System);
        Assert.Equal("/user/actorauth-connections", Server.Connections.Path.ToStringWithoutAddress());
    }

    [Fact]
    public async Task An_operation_bound_to_an_application_actor_gets_the_authenticated_identity_and_its_reply()
    {
        await StartAppAsync();
        await using AuthenticatedChannel alice = await ConnectAsync();

        Assert.Equal("hello, alice@ACTORAUTH.TEST: hi", Text(await alice.RequestAsync("hi"u8.ToArray(), "greet")));
        Assert.Equal(["echo", "greet", "shout", "stall", "whoami"], alice.Greeting.Operations);
    }

    [Fact]
    public async Task A_plain_handler_and_an_actor_handler_serve_side_by_side()
    {
        await StartAppAsync();
        await using AuthenticatedChannel bob = await ConnectAsync("bob");

        Assert.Equal("LOUD", Text(await bob.RequestAsync("loud"u8.ToArray(), "shout")));
        Assert.Equal("hello, bob@ACTORAUTH.TEST: x", Text(await bob.RequestAsync("x"u8.ToArray(), "greet")));
    }

    [Fact]
    public async Task An_actor_that_does_not_answer_gets_the_client_a_failed_reply_naming_the_timeout_and_the_session_goes_on()
    {
        await StartAppAsync(("actorauth:server:session:handler-timeout", "300ms"));
        await using AuthenticatedChannel alice = await ConnectAsync();

        var e = await Assert.ThrowsAsync<ActorAuthClientException>(() => alice.RequestAsync("anything"u8.ToArray(), "stall"));

        Assert.Equal(ClientFailure.OperationFailed, e.Failure);
        Assert.Contains("the operation 'stall' did not answer within 0.3 s", e.Message, StringComparison.Ordinal);
        Assert.Equal("still here", Text(await alice.RequestAsync("still here"u8.ToArray())));
    }

    [Fact]
    public async Task Stopping_the_listener_leaves_the_applications_other_actors_and_its_system_running()
    {
        await StartAppAsync();
        IActorRef greeter = await _host!.Services.GetRequiredService<IRequiredActor<Greeter>>().GetAsync();
        await using (AuthenticatedChannel alice = await ConnectAsync())
        {
            await Server.StopAsync();

            await Assert.ThrowsAnyAsync<Exception>(() => alice.RequestAsync("after stop"u8.ToArray()));
        }

        Assert.Equal(0, Server.Metrics.LiveContexts);
        Assert.False(System.WhenTerminated.IsCompleted);
        await Assert.ThrowsAsync<ActorNotFoundException>(() => System.ActorSelection("/user/" + ActorAuth.Server.Cluster.SessionRegistryActor.Name).ResolveOne(TimeSpan.FromSeconds(2)));
        object reply = await greeter.Ask<object>(new AuthenticatedRequest(Identity(), "greet", "direct"u8.ToArray()), TimeSpan.FromSeconds(5));
        Assert.Equal("hello, carol@ACTORAUTH.TEST: direct", Text((byte[])reply));
    }

    [Fact]
    public async Task CoordinatedShutdown_ends_open_sessions_disposes_every_context_and_stops_the_host()
    {
        await StartAppAsync();
        await using AuthenticatedChannel alice = await ConnectAsync();
        Assert.Equal("before", Text(await alice.RequestAsync("before"u8.ToArray())));

        await CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClrExitReason.Instance);

        Assert.True(System.WhenTerminated.IsCompleted);
        Assert.Equal(0, Server.Metrics.LiveContexts);
        Assert.Equal(0, Server.Metrics.LiveConnections);
        Assert.Contains(_log.Lines, line => line.Contains("ActorAuth stopped: 1 handshakes succeeded, 0 failed, 0 contexts live", StringComparison.Ordinal));
        await Assert.ThrowsAnyAsync<Exception>(() => alice.RequestAsync("after"u8.ToArray()));
    }

    private static SessionIdentity Identity() => new(0, null, "carol@ACTORAUTH.TEST", RealmFixture.ServicePrincipal, "Kerberos",
        ProtectionLevel.EncryptAndSign, TokenImpersonationLevel.Identification);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }
    }

    /// <summary>Answers <c>greet</c> with the caller as the handshake proved it.</summary>
    private sealed class Greeter : ReceiveActor
    {
        public Greeter() => Receive<AuthenticatedRequest>(request =>
            Sender.Tell(Encoding.UTF8.GetBytes($"hello, {request.Identity.ClientPrincipal}: {Text(request.Body)}")));
    }

    /// <summary>Never answers.</summary>
    private sealed class Silent : ReceiveActor
    {
        public Silent() => Receive<AuthenticatedRequest>(_ => { });
    }

    /// <summary>A plain class handler: the request in capitals.</summary>
    private sealed class ShoutHandler : ISessionHandler
    {
        public string Operation => "shout";

        public ValueTask<ReadOnlyMemory<byte>> HandleAsync(SessionIdentity identity, ReadOnlyMemory<byte> request, CancellationToken cancellationToken) =>
            ValueTask.FromResult<ReadOnlyMemory<byte>>(Encoding.UTF8.GetBytes(Text(request).ToUpperInvariant()));
    }
}
