using System.Net;
using ActorAuth.DevRealm;
using DevRealmInstance = ActorAuth.DevRealm.DevRealm;

namespace ActorAuth.Security.Tests;

/// <summary>
/// A real MIT KDC in a fresh directory for the whole run: actorauth/localhost in the service keytab,
/// keyless/localhost in another keytab (the KDC issues tickets the service cannot decrypt), one principal per
/// AES enctype in the service keytab whose only key and session keys are of that enctype, alice's TGT in the
/// realm's ccache. MIT reads KRB5_* from the C environment, so it is set with setenv before any context exists.
/// </summary>
public sealed class RealmFixture : IAsyncLifetime
{
    public const string ServicePrincipal = "actorauth/localhost";
    public const string KeylessServicePrincipal = "keyless/localhost";
    public const string Alice = "alice@ACTORAUTH.TEST";

    /// <summary>The enctypes of RFC 3962 (SHA-1) and RFC 8009 (SHA-2), each with a service principal of its own.</summary>
    public static readonly string[] Enctypes =
        ["aes128-cts-hmac-sha1-96", "aes256-cts-hmac-sha1-96", "aes128-cts-hmac-sha256-128", "aes256-cts-hmac-sha384-192"];

    private DevRealmInstance? _realm;

    public DevRealmInstance Realm => _realm ?? throw new InvalidOperationException("The realm is not up.");

    public NetworkCredential AlicePassword => new("alice", Realm.PasswordOf("alice"), Realm.RealmName);

    public async Task InitializeAsync()
    {
        string directory = Path.Combine(Path.GetTempPath(), "actorauth-sec-" + Guid.NewGuid().ToString("N")[..8]);
        _realm = await DevRealmInstance.UpAsync(new RealmOptions(directory));
        await _realm.AddServicePrincipalAsync(KeylessServicePrincipal, keytabPath: Path.Combine(directory, "keyless.keytab"));
        foreach (string enctype in Enctypes)
        {
            await _realm.AddServicePrincipalAsync(EnctypePrincipal(enctype), keytabPath: null, enctypes: enctype + ":normal");
        }

        await _realm.KinitAsync("alice");
        KerberosEnvironment.Apply(_realm.Environment);
    }

    /// <summary>The service principal whose only key, and whose tickets' session keys, are of <paramref name="enctype"/>.</summary>
    public static string EnctypePrincipal(string enctype) => enctype + "/localhost";

    public async Task DisposeAsync()
    {
        if (_realm is not null)
        {
            await DevRealmInstance.DownAsync(_realm.Directory);
            Directory.Delete(_realm.Directory, recursive: true);
        }
    }
}

/// <summary>
/// Every test of this project: one realm, and no parallelism, because some tests change the process-global
/// C environment (KRB5_KTNAME) and restore it.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RealmCollection : ICollectionFixture<RealmFixture>
{
    public const string Name = "realm";
}
