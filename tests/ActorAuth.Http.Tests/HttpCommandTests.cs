namespace ActorAuth.Http.Tests;

/// <summary><c>actorauth http get</c>, run as its own process against the real Apache.</summary>
[Collection(HttpCollection.Name)]
public sealed class HttpCommandTests(HttpFixture http)
{
    private async Task<(int ExitCode, string Stdout, string Stderr)> GetAsync(IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        (int exit, string stdout, string stderr) = await ChildProcess.RunAsync("dotnet", environment ?? http.Realm.Realm.Environment, [ChildProcess.Cli, "http", "get", .. arguments]);
        return (exit, stdout, stderr);
    }

    private string[] Alice => ["--user", "alice", "--password-file", http.PasswordFile("alice")];

    private string Explain(int exit, string stdout, string stderr) => $"exit {exit}\nstdout: {stdout}\nstderr: {stderr}\n{http.Apache.Diagnostics()}";

    [Fact]
    public async Task Http_get_exits_zero_prints_the_body_and_says_the_server_was_mutually_authenticated()
    {
        (int exit, string stdout, string stderr) = await GetAsync(null, [http.Apache.Url("index.html").ToString(), .. Alice]);

        Assert.True(exit == 0, Explain(exit, stdout, stderr));
        Assert.Equal(HttpFixture.Documents["index.html"], stdout);
        Assert.Contains("HTTP/1.1 200 OK", stderr, StringComparison.Ordinal);
        Assert.Contains("server principal: HTTP/localhost", stderr, StringComparison.Ordinal);
        Assert.Contains("mutual authentication: yes", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_get_without_credentials_exits_nonzero_naming_401()
    {
        var noTickets = new Dictionary<string, string>(http.Realm.Realm.Environment)
        {
            ["KRB5CCNAME"] = "FILE:" + Path.Combine(http.Realm.Realm.Directory, $"empty-{Guid.NewGuid():N}"),
        };

        (int exit, string stdout, string stderr) = await GetAsync(noTickets, http.Apache.Url("index.html").ToString());

        Assert.True(exit != 0, Explain(exit, stdout, stderr));
        Assert.Contains("401 Unauthorized", stderr, StringComparison.Ordinal);
        Assert.Equal("", stdout);
    }

    [Fact]
    public async Task Http_get_with_output_writes_the_body_to_the_file()
    {
        string file = Path.Combine(http.Realm.Realm.Directory, $"report-{Guid.NewGuid():N}.txt");

        (int exit, string stdout, string stderr) = await GetAsync(null, [http.Apache.Url("docs/report.txt").ToString(), .. Alice, "--output", file]);

        Assert.True(exit == 0, Explain(exit, stdout, stderr));
        Assert.Equal(HttpFixture.Documents["docs/report.txt"], await File.ReadAllTextAsync(file));
        Assert.Equal("", stdout);
    }

    [Fact]
    public async Task Http_get_refuses_a_200_without_mutual_authentication_and_prints_no_body()
    {
        await using HostileHttpServer impostor = HostileHttpServer.Start(finalToken: null);

        (int exit, string stdout, string stderr) = await GetAsync(null, [impostor.Url.ToString(), .. Alice, "--spn", "HTTP/localhost"]);

        Assert.True(exit != 0, Explain(exit, stdout, stderr));
        Assert.Contains("mutual authentication failed", stderr, StringComparison.Ordinal);
        Assert.Equal("", stdout);
    }
}
