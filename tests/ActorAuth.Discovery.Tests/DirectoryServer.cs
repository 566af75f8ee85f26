using ActorAuth.Server.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using DevRealmInstance = ActorAuth.DevRealm.DevRealm;

namespace ActorAuth.Discovery.Tests;

/// <summary>
/// The real server, hosted in-process on a free loopback port with the <c>realm</c> directory backend: at start-up it
/// registers <c>actorauth/localhost</c> and <c>actorauth/localhost:&lt;port&gt;</c> on the account <c>actorauth</c>
/// (keys into the service keytab) and publishes its own SCP with the service's GUID, as a deployed instance does.
/// Its log is kept for failure messages.
/// </summary>
public sealed class DirectoryServer : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private DirectoryServer(IHost host, CapturedLog log)
    {
        _host = host;
        Log = log;
        Server = host.Services.GetRequiredService<ActorAuthServer>();
        Port = Server.EndPoint.Port;
    }

    /// <summary>The running server.</summary>
    public ActorAuthServer Server { get; }

    /// <summary>The port it listens on (and published), still known after <see cref="StopAsync"/>.</summary>
    public int Port { get; }

    /// <summary>The SPN a discovering client composes for this instance.</summary>
    public string Spn => $"actorauth/localhost:{Port}";

    /// <summary>Everything the server logged.</summary>
    public CapturedLog Log { get; }

    /// <summary>Starts an instance of the service <paramref name="serviceGuid"/> in <paramref name="realm"/>'s directory.</summary>
    /// <param name="realm">The running dev realm.</param>
    /// <param name="serviceGuid">The service's GUID, its SCP's first keyword.</param>
    /// <param name="removeScpOnStop">Whether stopping removes the instance's SCP; off leaves it behind, as a crashed node does.</param>
    public static async Task<DirectoryServer> StartAsync(DevRealmInstance realm, Guid serviceGuid, bool removeScpOnStop = false)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["actorauth:server:port"] = "0",
            ["actorauth:directory:backend"] = "realm",
            ["actorauth:directory:service-guid"] = serviceGuid.ToString("D"),
            ["actorauth:directory:remove-scp-on-stop"] = removeScpOnStop ? "on" : "off",
            ["actorauth:realm:directory"] = realm.Directory,
        }).Build();
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var log = new CapturedLog();
        builder.Logging.ClearProviders().AddProvider(log).SetMinimumLevel(LogLevel.Information);
        builder.Services.AddActorAuth(configuration);
        IHost host = builder.Build();
        await host.StartAsync();
        return new DirectoryServer(host, log);
    }

    /// <summary>Stops the server (its SCP stays unless it was started to remove it); once.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _host.StopAsync();
            _host.Dispose();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync();
}
