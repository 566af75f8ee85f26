namespace ActorAuth.Discovery.Tests;

/// <summary><c>actorauth spn …</c>, <c>scp …</c> and <c>client --discover</c>, each run as its own process with the realm's environment.</summary>
[Collection(DiscoveryCollection.Name)]
public sealed class CliTests(DiscoveryFixture fixture)
{
    private async Task<(int ExitCode, string[] Stdout, string[] Stderr)> RunAsync(params string[] arguments)
    {
        (int exit, string stdout, string stderr) = await ChildProcess.RunAsync("dotnet", fixture.Realm.Environment, [ChildProcess.Cli, .. arguments]);
        return (exit, Lines(stdout), Lines(stderr));

        static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    [Theory]
    [InlineData("actorauth/host.example.com:2000", "--class", "actorauth", "--instance", "host.example.com", "--port", "2000")]
    [InlineData("ldap/dc1.corp.example/corp.example", "--class", "ldap", "--instance", "dc1.corp.example", "--service", "corp.example")]
    [InlineData("actorauth/10.0.0.1/ref.example.com", "--class", "actorauth", "--instance", "10.0.0.1", "--referrer", "ref.example.com")]
    [InlineData("actorauth/[::1]:2000", "--class", "actorauth", "--instance", "::1", "--port", "2000")]
    public async Task Spn_make_prints_the_composed_SPN_on_the_last_line(string expected, params string[] arguments)
    {
        (int exit, string[] stdout, string[] stderr) = await RunAsync(["spn", "make", .. arguments]);

        Assert.True(exit == 0, string.Join('\n', stderr));
        Assert.Equal(expected, stdout[^1]);
    }

    [Theory]
    [InlineData("'a/b'", "--class", "a/b", "--instance", "h.example.com")]
    [InlineData("whitespace", "--class", "actorauth", "--instance", "h example")]
    [InlineData("--port 70000", "--class", "actorauth", "--instance", "h.example.com", "--port", "70000")]
    public async Task Spn_make_refuses_an_invalid_component_with_one_line_and_a_nonzero_exit(string named, params string[] arguments)
    {
        (int exit, string[] stdout, string[] stderr) = await RunAsync(["spn", "make", .. arguments]);

        Assert.NotEqual(0, exit);
        Assert.Empty(stdout);
        Assert.Single(stderr);
        Assert.StartsWith("actorauth spn make: ", stderr[0], StringComparison.Ordinal);
        Assert.Contains(named, stderr[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Spn_get_prints_one_host_based_SPN_per_DNS_name()
    {
        (int exit, string[] stdout, _) = await RunAsync("spn", "get", "--class", "actorauth", "--host", "h.example.com", "--alias", "a.example.com", "--port", "2000");

        Assert.Equal(0, exit);
        Assert.Equal(["actorauth/h.example.com:2000", "actorauth/a.example.com:2000"], stdout);
    }

    [Fact]
    public async Task Spn_add_list_and_remove_act_on_the_account_in_the_dev_realm()
    {
        string[] realm = ["--realm-dir", fixture.Realm.Directory, "--account", "cli-svc"];

        (int added, _, string[] addErrors) = await RunAsync(["spn", "add", "actorauth/cli.localhost:2000", .. realm]);
        (_, string[] listed, _) = await RunAsync(["spn", "list", .. realm]);
        (int removed, _, _) = await RunAsync(["spn", "remove", "actorauth/cli.localhost:2000", .. realm]);
        (_, string[] after, _) = await RunAsync(["spn", "list", .. realm]);

        Assert.True(added == 0, string.Join('\n', addErrors));
        Assert.Equal(["actorauth/cli.localhost:2000"], listed);
        Assert.Equal(0, removed);
        Assert.Empty(after);
    }

    [Fact]
    public async Task Spn_add_of_an_SPN_another_account_holds_fails_naming_that_account()
    {
        (int exit, _, string[] stderr) = await RunAsync("spn", "add", fixture.Spn, "--realm-dir", fixture.Realm.Directory, "--account", "intruder");

        Assert.NotEqual(0, exit);
        Assert.Contains("already registered on actorauth", Assert.Single(stderr), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scp_publish_find_and_remove_round_trip_in_the_dev_realm()
    {
        string[] realm = ["--realm-dir", fixture.Realm.Directory];

        (int published, _, string[] publishErrors) = await RunAsync(["scp", "publish", "--class", "cliscp", "--host", "cli.localhost", "--port", "2100", "--keywords", "G-1", "ActorAuth", .. realm]);
        (_, string[] found, _) = await RunAsync(["scp", "find", "--class", "cliscp", "--keywords", "G-1", .. realm]);
        (int removed, _, _) = await RunAsync(["scp", "remove", "--class", "cliscp", "--host", "cli.localhost", .. realm]);
        (_, string[] after, _) = await RunAsync(["scp", "find", "--class", "cliscp", .. realm]);

        Assert.True(published == 0, string.Join('\n', publishErrors));
        Assert.Contains("binding=cli.localhost:2100 keywords=G-1,ActorAuth", Assert.Single(found), StringComparison.Ordinal);
        Assert.Equal(0, removed);
        Assert.Empty(after);
    }

    [Fact]
    public async Task Client_discover_finds_the_server_through_its_SCP_and_authenticates_mutually()
    {
        (int exit, string[] stdout, string[] stderr) = await RunAsync(
            "client", "--discover", "--keywords", fixture.ServiceGuid.ToString("D"), "--realm-dir", fixture.Realm.Directory,
            "--user", "alice", "--password-file", Path.Combine(fixture.Realm.Directory, "alice.password"), "--message", "hi");

        Assert.True(exit == 0, string.Join('\n', stderr));
        Assert.Equal($"discovered: localhost:{fixture.Port} spn {fixture.Spn} (SCP in the dev realm store)", stdout[0]);
        Assert.Contains($"server principal: {fixture.Spn}", stdout);
        Assert.Contains($"connected: localhost:{fixture.Port}", stdout);
        Assert.Contains("mutual authentication: yes", stdout);
        Assert.Contains("reply: hi", stdout);
    }

    [Fact]
    public async Task Client_discover_with_an_explicit_port_is_refused()
    {
        (int exit, _, string[] stderr) = await RunAsync("client", "--discover", "--port", "2000", "--realm-dir", fixture.Realm.Directory);

        Assert.NotEqual(0, exit);
        Assert.Contains("drop --port", Assert.Single(stderr), StringComparison.Ordinal);
    }
}
