using System.Diagnostics;
using Xunit;

namespace ActorAuth.Integration.Tests;

/// <summary>The <c>actorauth client</c> command, run as its own process against the real server.</summary>
[Collection(RealmCollection.Name)]
public sealed class CliTests(RealmFixture realm)
{
    private async Task<(int ExitCode, string Stdout, string Stderr)> RunCliAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "actorauth.dll"));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // A child gets MIT's variables the ordinary way: in its environment from the start.
        foreach ((string name, string value) in realm.Realm.Environment)
        {
            start.Environment[name] = value;
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    private string PasswordFile(string user) => Path.Combine(realm.Realm.Directory, $"{user}.password");

    [Fact]
    public async Task The_client_command_prints_who_is_who_and_exits_zero()
    {
        await using TestServer server = await TestServer.StartAsync(realm);

        (int exit, string stdout, string stderr) = await RunCliAsync("client", "--port", server.Port.ToString(), "--spn", "actorauth/localhost",
            "--user", "alice", "--password-file", PasswordFile("alice"), "--message", "hello");

        Assert.True(exit == 0, $"exit {exit}\n{stdout}\n{stderr}");
        Assert.Contains("client principal: alice@ACTORAUTH.TEST", stdout, StringComparison.Ordinal);
        Assert.Contains("server principal: actorauth/localhost", stdout, StringComparison.Ordinal);
        Assert.Contains("mutual authentication: yes", stdout, StringComparison.Ordinal);
        Assert.Contains("reply: hello", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_client_command_fails_with_one_line_and_a_nonzero_exit_for_a_wrong_password()
    {
        await using TestServer server = await TestServer.StartAsync(realm);
        string wrong = Path.GetTempFileName();
        await File.WriteAllTextAsync(wrong, "not-the-password");
        try
        {
            (int exit, string stdout, string stderr) = await RunCliAsync("client", "--port", server.Port.ToString(), "--user", "alice", "--password-file", wrong);

            Assert.True(exit != 0, $"exit {exit}\n{stdout}\n{stderr}");
            string[] lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length == 1, stderr);
            Assert.Contains("CredentialsRejected", lines[0], StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(wrong);
        }
    }

    [Fact]
    public async Task The_client_command_fails_clearly_when_no_server_listens()
    {
        (int exit, _, string stderr) = await RunCliAsync("client", "--port", "1", "--user", "alice", "--password-file", PasswordFile("alice"));

        Assert.NotEqual(0, exit);
        Assert.Contains("ConnectFailed", stderr, StringComparison.Ordinal);
    }
}
