using ActorAuth.DevRealm;

namespace ActorAuth.Directory.Tests;

// Its own realm: stopping the KDC must not disturb the shared fixture's tests.
public sealed class RealmUnavailableTests
{
    [Fact]
    public async Task A_realm_whose_KDC_is_stopped_is_an_unavailable_directory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "actorauth-directory-down-" + Guid.NewGuid().ToString("N"));
        try
        {
            var realm = await DevRealm.DevRealm.UpAsync(new RealmOptions(directory) { Users = [] }, CancellationToken.None);
            await DevRealm.DevRealm.DownAsync(directory, CancellationToken.None);
            var backend = new RealmDirectoryBackend(realm, "svc-down");

            var error = await Assert.ThrowsAsync<DirectoryUnavailableException>(
                () => backend.RegisterSpnsAsync([ServicePrincipalName.Parse("actorauth/localhost:4700")], CancellationToken.None));

            Assert.Contains("has no running KDC", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            await DevRealm.DevRealm.DownAsync(directory, CancellationToken.None);
            System.IO.Directory.Delete(directory, recursive: true);
        }
    }
}
