using ActorAuth.DevRealm;
using ActorAuth.Security;
using DevRealmInstance = ActorAuth.DevRealm.DevRealm;

namespace ActorAuth.Cluster.Tests;

/// <summary>
/// One KDC (alice, bob, carol) for every cluster fixture of this process: MIT's paths are process-wide C environment
/// variables, so two realms in one test process would fight over them. Up with the first fixture, down with the last.
/// </summary>
internal static class SharedRealm
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static DevRealmInstance? _realm;
    private static int _users;

    public static async Task<DevRealmInstance> AcquireAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_realm is null)
            {
                string directory = Path.Combine(Path.GetTempPath(), "actorauth-cluster-" + Guid.NewGuid().ToString("N")[..8]);
                _realm = await DevRealmInstance.UpAsync(new RealmOptions(directory) { Users = ["alice", "bob", "carol"] });
                KerberosEnvironment.Apply(_realm.Environment);
            }

            _users++;
            return _realm;
        }
        finally
        {
            Gate.Release();
        }
    }

    public static async Task ReleaseAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (--_users == 0 && _realm is not null)
            {
                await DevRealmInstance.DownAsync(_realm.Directory);
                System.IO.Directory.Delete(_realm.Directory, recursive: true);
                _realm = null;
            }
        }
        finally
        {
            Gate.Release();
        }
    }
}
