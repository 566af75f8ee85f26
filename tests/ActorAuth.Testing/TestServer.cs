using System.Net;
using System.Security.Principal;
using ActorAuth.Client;
using ActorAuth.Protocol;
using ActorAuth.Server.Hosting;
using ActorAuth.Server.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorAuth.Testing;

/// <summary>
/// The real server, hosted in-process as an embedder would host it, on a free loopback port. Its log lines
/// are kept so that a failing test can print them.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly RealmFixture _realm;

    private TestServer(IHost host, RealmFixture realm)
    {
        _host = host;
        _realm = realm;
        Server = host.Services.GetRequiredService<ActorAuthServer>();
        Log = host.Services.GetRequiredService<CapturedLog>();
    }

    /// <summary>The running server.</summary>
    public ActorAuthServer Server { get; }

    /// <summary>Its metrics.</summary>
    public ServerMetrics Metrics => Server.Metrics;

    /// <summary>The port it listens on.</summary>
    public int Port => Server.EndPoint.Port;

    /// <summary>Everything the server logged.</summary>
    public CapturedLog Log { get; }

    /// <summary>Starts a server with the given <c>actorauth.server</c> settings over the defaults.</summary>
    public static Task<TestServer> StartAsync(RealmFixture realm, params (string Key, string Value)[] serverSettings) =>
        StartAsync(realm, serverSettings, []);

    /// <summary>Starts a server with <c>actorauth.server</c> settings and other keys given in full (<c>actorauth:authorization:file</c>).</summary>
    public static async Task<TestServer> StartAsync(RealmFixture realm, (string Key, string Value)[] serverSettings, params (string Key, string Value)[] otherSettings)
    {
        var values = new Dictionary<string, string?> { ["actorauth:server:port"] = "0" };
        foreach ((string key, string value) in serverSettings)
        {
            values["actorauth:server:" + key] = value;
        }

        foreach ((string key, string value) in otherSettings)
        {
            values[key] = value;
        }

        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var log = new CapturedLog();
        builder.Services.AddSingleton(log);
        builder.Logging.ClearProviders().AddProvider(log).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddActorAuth(configuration);
        IHost host = builder.Build();
        await host.StartAsync();
        return new TestServer(host, realm);
    }

    /// <summary>
    /// Starts a server whose listeners are a sockauth one (named "sockauth") and one of each of <paramref name="kinds"/>
    /// (named by kind), all on free loopback ports; <paramref name="otherSettings"/> as for <see cref="StartAsync(RealmFixture, (string, string)[], (string, string)[])"/>.
    /// </summary>
    public static Task<TestServer> StartWithListenersAsync(RealmFixture realm, WireDialect[] kinds, params (string Key, string Value)[] otherSettings)
    {
        var listeners = new List<(string, string)> { ("actorauth:listeners:0:kind", "sockauth") };
        for (int i = 0; i < kinds.Length; i++)
        {
            listeners.Add(($"actorauth:listeners:{i + 1}:kind", kinds[i].Name()));
        }

        return StartAsync(realm, [], [.. listeners, .. otherSettings]);
    }

    /// <summary>The bound port of the listener named <paramref name="listener"/>.</summary>
    public int PortOf(string listener) => Server.EndPointOf(listener).Port;

    /// <summary>alice's (or another user's) password credential.</summary>
    public NetworkCredential CredentialOf(string user) => new(user, _realm.Realm.PasswordOf(user));

    /// <summary>Authenticates <paramref name="user"/> to <paramref name="spn"/> on this server, granting <paramref name="impersonation"/>.</summary>
    public Task<AuthenticatedChannel> ConnectAsync(
        string user = "alice", string package = "Negotiate", string spn = RealmFixture.ServicePrincipal,
        TokenImpersonationLevel impersonation = TokenImpersonationLevel.Identification) =>
        ActorAuthClient.ConnectAsync("127.0.0.1", Port, spn, new ActorAuthClientOptions { Package = package, Credential = CredentialOf(user), ImpersonationLevel = impersonation });

    /// <summary>Waits (bounded) until the asynchronous <paramref name="condition"/> holds, then returns whether it did.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }

    /// <summary>Waits (bounded) until <paramref name="condition"/> holds, then returns whether it did.</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
