using System.Net;
using ActorAuth.DevRealm;
using ActorAuth.Directory;
using ActorAuth.Security;
using DevRealmInstance = ActorAuth.DevRealm.DevRealm;

namespace ActorAuth.Discovery.Tests;

/// <summary>
/// A throwaway dev realm and one instance of the service (<see cref="DirectoryServer"/>) with <see cref="ServiceGuid"/>.
/// MIT's paths are set with setenv before any GSSAPI use.
/// </summary>
public sealed class DiscoveryFixture : IAsyncLifetime
{
    private DirectoryServer? _server;

    /// <summary>The running realm.</summary>
    public DevRealmInstance Realm { get; private set; } = null!;

    /// <summary>The realm's directory, as a client (or the account <c>actorauth</c>) sees it.</summary>
    public RealmDirectoryBackend Directory { get; private set; } = null!;

    /// <summary>The service's GUID, its SCP's first keyword: it picks this server's SCP among others of the class.</summary>
    public Guid ServiceGuid { get; } = Guid.NewGuid();

    /// <summary>The port the server listens on, as published in its SCP.</summary>
    public int Port => _server!.Port;

    /// <summary>The SPN a discovering client composes and targets (the host-based SPN with port).</summary>
    public string Spn => _server!.Spn;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Realm = await DevRealmInstance.UpAsync(new RealmOptions(Path.Combine(Path.GetTempPath(), "actorauth-discovery-" + Guid.NewGuid().ToString("N")[..8])));
        KerberosEnvironment.Apply(Realm.Environment);
        Directory = new RealmDirectoryBackend(Realm, "actorauth");
        _server = await DirectoryServer.StartAsync(Realm, ServiceGuid);
    }

    /// <summary>A user's password credential.</summary>
    public NetworkCredential CredentialOf(string user) => new(user, Realm.PasswordOf(user));

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
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
