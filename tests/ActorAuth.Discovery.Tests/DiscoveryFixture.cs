using System.Net;
using ActorAuth.DevRealm;
using ActorAuth.Directory;
using ActorAuth.Security;
using ActorAuth.Server.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using DevRealmInstance = ActorAuth.DevRealm.DevRealm;

namespace ActorAuth.Discovery.Tests;

/// <summary>
/// A throwaway dev realm and the real server on a free port with the <c>realm</c> directory backend: at start-up it
/// registers <c>actorauth/localhost</c> and <c>actorauth/localhost:&lt;port&gt;</c> on the account <c>actorauth</c>
/// (keys into the service keytab) and publishes its SCP with <see cref="ServiceGuid"/>, as a deployed service does.
/// MIT's paths are set with setenv before any GSSAPI use.
/// </summary>
public sealed class DiscoveryFixture : IAsyncLifetime
{
    private IHost? _server;

    /// <summary>The running realm.</summary>
    public DevRealmInstance Realm { get; private set; } = null!;

    /// <summary>The realm's directory, as a client (or the account <c>actorauth</c>) sees it.</summary>
    public RealmDirectoryBackend Directory { get; private set; } = null!;

    /// <summary>The service's GUID, its SCP's first keyword: it picks this server's SCP among others of the class.</summary>
    public Guid ServiceGuid { get; } = Guid.NewGuid();

    /// <summary>The port the server listens on, as published in its SCP.</summary>
    public int Port { get; private set; }

    /// <summary>The SPN a discovering client composes and targets (the host-based SPN with port).</summary>
    public string Spn => $"actorauth/localhost:{Port}";

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Realm = await DevRealmInstance.UpAsync(new RealmOptions(Path.Combine(Path.GetTempPath(), "actorauth-discovery-" + Guid.NewGuid().ToString("N")[..8])));
        KerberosEnvironment.Apply(Realm.Environment);
        Directory = new RealmDirectoryBackend(Realm, "actorauth");

        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["actorauth:server:port"] = "0",
            ["actorauth:directory:backend"] = "realm",
            ["actorauth:directory:service-guid"] = ServiceGuid.ToString("D"),
            ["actorauth:realm:directory"] = Realm.Directory,
        }).Build();
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Services.AddActorAuth(configuration);
        _server = builder.Build();
        await _server.StartAsync();
        Port = _server.Services.GetRequiredService<ActorAuthServer>().EndPoint.Port;
    }

    /// <summary>A user's password credential.</summary>
    public NetworkCredential CredentialOf(string user) => new(user, Realm.PasswordOf(user));

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.StopAsync();
            _server.Dispose();
        }

        await DevRealmInstance.DownAsync(Realm.Directory);
        System.IO.Directory.Delete(Realm.Directory, recursive: true);
    }
}

/// <summary>The tests that need the KDC and the server share one of each.</summary>
[CollectionDefinition(Name)]
public sealed class DiscoveryCollection : ICollectionFixture<DiscoveryFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "discovery";
}
