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

    /// <summary>
    /// Makes sure <paramref name="account"/> exists (created with a fresh password, kept in the DC's directory as
    /// <c>account.password</c> like the script's accounts); when <paramref name="service"/>, also AES keys (without
    /// them the exported keytab is RC4-only, which MIT refuses) and the SPNs. Idempotent: the DC outlives test runs.
    /// </summary>
    public async Task EnsureAccountAsync(string account, bool service, params string[] spns)
    {
        string passwordFile = Path.Combine(Directory, account + ".password");
        if ((await SambaToolAsync(check: false, "user", "show", account)).ExitCode != 0)
        {
            string password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12)) + "a1A!";
            await SambaToolAsync(check: true, "user", "create", account, password);
            await File.WriteAllTextAsync(passwordFile, password);
        }

        if (!service)
        {
            return;
        }

        await RunAsync("ldapmodify", $"dn: CN={account},CN=Users,{BaseDn}\nchangetype: modify\nreplace: msDS-SupportedEncryptionTypes\nmsDS-SupportedEncryptionTypes: 24\n",
            ["-x", "-H", "ldap://127.0.0.1", "-D", $"Administrator@{Realm}", "-y", Path.Combine(Directory, "admin.ldappw")]);
        string listed = (await SambaToolAsync(check: true, "spn", "list", account)).Output;
        foreach (string spn in spns.Where(spn => !listed.Contains(spn, StringComparison.OrdinalIgnoreCase)))
        {
            await SambaToolAsync(check: true, "spn", "add", spn, account);
        }
    }

    /// <summary>Runs <c>samba-tool</c> against this DC; with <paramref name="check"/>, a failure throws with its output.</summary>
    public Task<(int ExitCode, string Output)> SambaToolAsync(bool check, params string[] arguments) =>
        RunAsync("samba-tool", null, [.. arguments, "-s", Path.Combine(Directory, "etc", "smb.conf")], check);

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string? input, string[] arguments, bool check = true)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }

        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        (int, string) result = (process.ExitCode, await output + await error);
        return !check || process.ExitCode == 0 ? result
            : throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed (exit {process.ExitCode}):\n{result.Item2}");
    }

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
