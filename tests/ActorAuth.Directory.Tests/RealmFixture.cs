using System.Diagnostics;
using ActorAuth.DevRealm;

namespace ActorAuth.Directory.Tests;

/// <summary>A throwaway dev realm in a temporary directory, shared by one test class, stopped and deleted afterwards.</summary>
public sealed class RealmFixture : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "actorauth-directory-" + Guid.NewGuid().ToString("N"));

    public DevRealm.DevRealm Realm { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Realm = await DevRealm.DevRealm.UpAsync(new RealmOptions(_directory), CancellationToken.None);
        await Realm.KinitAsync("alice", CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await DevRealm.DevRealm.DownAsync(_directory, CancellationToken.None);
        System.IO.Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Runs a krb5 tool with the realm's environment; returns its exit code and output.</summary>
    public async Task<(int ExitCode, string Output)> RunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in Realm.Environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
