using ActorAuth.DevRealm;
using ActorAuth.Security;
using Xunit;
using DevRealmInstance = ActorAuth.DevRealm.DevRealm;

namespace ActorAuth.Fuzz;

/// <summary>
/// A real MIT KDC for the fuzz run, in a fresh directory (a minimal copy of the integration tests' fixture:
/// test projects don't reference each other). MIT reads its paths from the C environment, so they are set
/// with setenv before any security context exists.
/// </summary>
public sealed class RealmFixture : IAsyncLifetime
{
    /// <summary>The service principal the server holds keys for.</summary>
    public const string ServicePrincipal = "actorauth/localhost";

    private DevRealmInstance? _realm;

    /// <summary>The running realm.</summary>
    public DevRealmInstance Realm => _realm ?? throw new InvalidOperationException("The realm is not up.");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        string directory = Path.Combine(Path.GetTempPath(), "actorauth-fuzz-" + Guid.NewGuid().ToString("N")[..8]);
        _realm = await DevRealmInstance.UpAsync(new RealmOptions(directory));
        KerberosEnvironment.Apply(_realm.Environment);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_realm is not null)
        {
            await DevRealmInstance.DownAsync(_realm.Directory);
            System.IO.Directory.Delete(_realm.Directory, recursive: true);
        }
    }
}

/// <summary>Every test that needs the KDC is in this collection, so the realm is created once.</summary>
[CollectionDefinition(Name)]
public sealed class RealmCollection : ICollectionFixture<RealmFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "realm";
}
