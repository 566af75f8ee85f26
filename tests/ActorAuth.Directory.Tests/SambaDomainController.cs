using System.Diagnostics;
using System.Net;

namespace ActorAuth.Directory.Tests;

/// <summary>
/// The real Samba AD DC that scripts/samba-ad.sh provisions and starts on 127.0.0.1 (ports 88 and 389, so one per
/// machine: every test that uses it is in the <see cref="SambaCollection"/>). Provisioned once into a fixed
/// directory and reused by later runs; stopped after the collection.
/// </summary>
public sealed class SambaDomainController : IAsyncLifetime
{
    public const string BaseDn = "DC=samba,DC=actorauth,DC=test";
    public const string Realm = "SAMBA.ACTORAUTH.TEST";

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "actorauth-samba-ad");

    public TimeSpan StartDuration { get; private set; }

    // Ports 88 and 389 allow one DC per machine: a second test run on the same machine waits for this one
    // (bounded) instead of stopping the DC under it.
    private FileStream? _machineLock;

    public async Task InitializeAsync()
    {
        _machineLock = await AcquireMachineLockAsync(Directory + ".lock", TimeSpan.FromMinutes(10));
        var clock = Stopwatch.StartNew();
        var (exitCode, output) = await RunScriptAsync("up");
        StartDuration = clock.Elapsed;
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"scripts/samba-ad.sh up failed (exit {exitCode}):\n{output}");
        }
    }

    public async Task DisposeAsync()
    {
        await RunScriptAsync("down");
        _machineLock?.Dispose();
    }

    private static async Task<FileStream> AcquireMachineLockAsync(string path, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (deadline.Elapsed < timeout)
            {
                await Task.Delay(500);
            }
        }
    }

    /// <summary>Options for a simple bind on plain LDAP as <paramref name="account"/> (its password from the DC's directory).</summary>
    public LdapDirectoryOptions OptionsFor(string account) => new()
    {
        Server = "127.0.0.1",
        BaseDn = BaseDn,
        AccountName = account,
        BindMode = LdapBindMode.Simple,
        Credential = new NetworkCredential($"{account}@{Realm}", File.ReadAllText(Path.Combine(Directory, account + ".password")).Trim()),
        ScpContainerDn = "CN=Computers," + BaseDn,
    };

    private async Task<(int ExitCode, string Output)> RunScriptAsync(string command)
    {
        var script = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../scripts/samba-ad.sh"));
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(command);
        start.ArgumentList.Add(Directory);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}

/// <summary>Runs the Samba tests one at a time against the one DC.</summary>
[CollectionDefinition(Name)]
public sealed class SambaCollection : ICollectionFixture<SambaDomainController>
{
    public const string Name = "Samba AD";
}
