using System.Diagnostics;
using Xunit;

namespace ActorAuth.Testing;

/// <summary>
/// Throwaway local accounts for the realm's alice and bob (what MIT's default auth_to_local maps
/// alice@ACTORAUTH.TEST to), created with useradd for a test class and removed afterwards, and a document root
/// of files only one of them may read: the kernel, not ActorAuth, decides. Accounts that already existed are used
/// as they are and left in place. Needs root (useradd, chown).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LocalAccounts : IAsyncLifetime
{
    private readonly List<string> _created = [];

    /// <summary>The directory read-file serves (mode 0755, owned by root).</summary>
    public string Root { get; private set; } = string.Empty;

    /// <summary>A directory beside the root, which no request may reach.</summary>
    public string Outside { get; private set; } = string.Empty;

    /// <summary>A realm user with no local account (the fixture makes sure of it).</summary>
    public const string UserWithoutAccount = "nolocal";

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        foreach (string user in (string[])["alice", "bob"])
        {
            if ((await RunAsync("id", "-u", user)).ExitCode != 0)
            {
                (int code, string output) = await RunAsync("useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", "--user-group", user);
                Assert.True(code == 0, $"useradd {user} failed (exit {code}); these tests need root: {output}");
                _created.Add(user);
            }
        }

        Assert.True((await RunAsync("id", "-u", UserWithoutAccount)).ExitCode != 0, $"a local account '{UserWithoutAccount}' exists; the test needs a principal without one");

        string top = System.IO.Directory.CreateTempSubdirectory("actorauth-impersonation-").FullName;
        File.SetUnixFileMode(top, (UnixFileMode)Convert.ToInt32("755", 8));
        Root = System.IO.Directory.CreateDirectory(Path.Combine(top, "root")).FullName;
        Outside = System.IO.Directory.CreateDirectory(Path.Combine(top, "outside")).FullName;
        Write(Path.Combine(Root, "alice.txt"), "alice's secret\n", "alice", "600");
        Write(Path.Combine(Root, "bob.txt"), "bob's secret\n", "bob", "600");
        Write(Path.Combine(Root, "public.txt"), "for everyone\n", "root", "644");
        System.IO.Directory.CreateDirectory(Path.Combine(Root, "sub"));
        Write(Path.Combine(Root, "sub", "alice-too.txt"), "nested\n", "alice", "600");
        Write(Path.Combine(Outside, "secret.txt"), "outside the root\n", "alice", "644");
        File.CreateSymbolicLink(Path.Combine(Root, "link-out"), "../outside/secret.txt");
        File.CreateSymbolicLink(Path.Combine(Root, "link-absolute"), Path.Combine(Outside, "secret.txt"));
        File.CreateSymbolicLink(Path.Combine(Root, "link-in"), "public.txt");
        System.IO.Directory.CreateSymbolicLink(Path.Combine(Root, "dir-out"), Outside);
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/>, owned by <paramref name="owner"/> with octal <paramref name="mode"/>.</summary>
    public static void Write(string path, string text, string owner, string mode)
    {
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32(mode, 8));
        (int code, string output) = RunAsync("chown", $"{owner}:{owner}", path).GetAwaiter().GetResult();
        Assert.True(code == 0, $"chown {owner} {path} failed: {output}");
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Root.Length > 0)
        {
            System.IO.Directory.Delete(Path.GetDirectoryName(Root)!, recursive: true);
        }

        foreach (string user in _created)
        {
            await RunAsync("userdel", user);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(), stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
