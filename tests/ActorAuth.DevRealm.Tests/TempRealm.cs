using Xunit;

namespace ActorAuth.DevRealm.Tests;

/// <summary>A realm in its own temporary directory, stopped and deleted on dispose.</summary>
public sealed class TempRealm : IAsyncLifetime
{
    public const string Service = "actorauth/localhost@ACTORAUTH.TEST";

    public RealmOptions Options { get; } =
        new(Path.Combine(Path.GetTempPath(), "actorauth-devrealm-" + Guid.NewGuid().ToString("N")));

    public DevRealm Realm { get; private set; } = null!;

    public async Task InitializeAsync() => Realm = await DevRealm.UpAsync(Options, CancellationToken.None);

    public async Task DisposeAsync()
    {
        await DevRealm.DownAsync(Options.Directory, CancellationToken.None);
        Directory.Delete(Options.Directory, recursive: true);
    }
}
