using ActorAuth.DevRealm;
using ActorAuth.Security;
using Xunit;
using DevRealmInstance = ActorAuth.DevRealm.DevRealm;

namespace ActorAuth.Testing;

/// <summary>
/// A real MIT KDC for the whole test run, in a fresh directory, with the dev realm's principals
/// (actorauth/localhost in the service keytab; alice and bob with passwords). MIT reads its paths from the
/// C environment, so they are set with setenv before any test creates a security context.
/// </summary>
public sealed class RealmFixture : IAsyncLifetime
{
    /// <summary>The service principal every test server holds keys for.</summary>
    public const string ServicePrincipal = "actorauth/localhost";

    /// <summary>A service principal the KDC issues tickets for but whose keys the server does not hold.</summary>
    public const string KeylessServicePrincipal = "keyless/localhost";

    private DevRealmInstance? _realm;

    /// <summary>The running realm.</summary>
    public DevRealmInstance Realm => _realm ?? throw new InvalidOperationException("The realm is not up.");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        string directory = Path.Combine(Path.GetTempPath(), "actorauth-test-" + Guid.NewGuid().ToString("N")[..8]);
        _realm = await DevRealmInstance.UpAsync(new RealmOptions(directory));
        await _realm.AddServicePrincipalAsync(KeylessServicePrincipal, Path.Combine(directory, "keyless.keytab"));
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
