using Xunit;

namespace ActorAuth.Integration.Tests;

/// <summary>The <c>actorauth client</c> command, run as its own process against the real server.</summary>
[Collection(RealmCollection.Name)]
public sealed class CliTests(RealmFixture realm)
{
    private Task<(int ExitCode, string Stdout, string Stderr)> RunCliAsync(params string[] arguments) =>
        ChildProcess.RunAsync("dotnet", realm.Realm.Environment, [ChildProcess.Cli, .. arguments]);

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

    [Fact]
    public async Task The_bench_command_spreads_handshakes_over_users_and_reports_them_as_json()
    {
        await using TestServer server = await TestServer.StartAsync(realm);
        string json = Path.Combine(realm.Realm.Directory, $"bench-{Guid.NewGuid():N}.json");

        (int exit, string stdout, string stderr) = await RunCliAsync("bench", "--port", server.Port.ToString(), "--users", "alice,bob",
            "--dir", realm.Realm.Directory, "-c", "4", "-n", "20", "--json", json);

        Assert.True(exit == 0, $"exit {exit}\n{stdout}\n{stderr}");
        using var report = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(json));
        Assert.Equal(20, report.RootElement.GetProperty("handshakes").GetInt64());
        Assert.Equal(0, report.RootElement.GetProperty("failures").GetInt64());
        Assert.Contains(server.Log.Lines, line => line.Contains("authenticated bob@ACTORAUTH.TEST", StringComparison.Ordinal));
        Assert.Contains(server.Log.Lines, line => line.Contains("authenticated alice@ACTORAUTH.TEST", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_bench_command_refuses_a_credential_per_connection_without_the_ticket_cache()
    {
        (int exit, string stdout, string stderr) = await RunCliAsync("bench", "--port", "9", "--credential-per-connection");

        Assert.True(exit == 2, $"exit {exit}\n{stdout}\n{stderr}");
        Assert.Contains("--credential-per-connection needs --ccache", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_server_command_refuses_a_port_in_use_with_one_line_and_exit_2()
    {
        using var occupant = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        occupant.Start();
        string port = ((System.Net.IPEndPoint)occupant.LocalEndpoint).Port.ToString();

        (int exit, string stdout, string stderr) = await RunCliAsync("server", "--port", port);

        Assert.True(exit == 2, $"exit {exit}\n{stdout}\n{stderr}");
        // stderr also carries the log (Akka's CoordinatedShutdown says it ran); the refusal is one line, and no stack.
        string[] lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal($"actorauth server: cannot listen: 127.0.0.1:{port} is already in use", Assert.Single(lines, l => l.StartsWith("actorauth server:", StringComparison.Ordinal)));
        Assert.DoesNotContain(lines, l => l.StartsWith("at ", StringComparison.Ordinal));
        Assert.Equal("", stdout);
    }
}
