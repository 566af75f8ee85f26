using System.Net;
using System.Net.Sockets;
using ActorAuth.Client;
using ActorAuth.Directory;

namespace ActorAuth.Discovery.Tests;

/// <summary>
/// Issue 14's discovery without a load balancer: several real instances of one service, each publishing its own SCP
/// in the dev realm's directory, and clients that know only the service class and GUID. Each test has its own GUID,
/// so its instances are the only ones of its service (and its rotation is its own).
/// </summary>
[Collection(DiscoveryCollection.Name)]
public sealed class InstanceDiscoveryTests(DiscoveryFixture fixture) : IAsyncLifetime
{
    private const int Clients = 30;
    private readonly Guid _service = Guid.NewGuid();
    private readonly List<DirectoryServer> _instances = [];

    private string[] Keywords => [_service.ToString("D")];

    private ActorAuthClientOptions Alice => new() { Credential = fixture.CredentialOf("alice") };

    /// <summary>Starts three instances of the test's service, one after another (each registers its own host:port SPN).</summary>
    public async Task InitializeAsync()
    {
        for (int i = 0; i < 3; i++)
        {
            _instances.Add(await DirectoryServer.StartAsync(fixture.Realm, _service));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (DirectoryServer instance in _instances)
        {
            await instance.DisposeAsync();
        }
    }

    [Fact]
    public async Task Three_instances_publish_three_SCPs_each_naming_its_own_port_and_SPN()
    {
        ServiceInstances found = await ActorAuthClient.DiscoverAllAsync(fixture.Directory, "actorauth", Keywords);

        Assert.Equal(
            _instances.Select(i => (i.Port, i.Spn)).Order(),
            found.Select(f => (f.Port, f.Spn.ToString())).Order());
        Assert.Equal(_instances.Select(i => i.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order(), found.Select(f => f.Scp.InstanceName).Order());
    }

    [Fact]
    public async Task Thirty_discovering_clients_spread_over_all_three_instances()
    {
        List<AuthenticatedChannel> channels = await ConnectClientsAsync();

        // One process round-robins, so each instance gets exactly 10; ±2 leaves room for a failover under load, which is printed.
        Dictionary<int, int> shares = channels.GroupBy(c => c.Instance!.Port).ToDictionary(g => g.Key, g => g.Count());
        string report = Report(channels, shares);
        Assert.All(_instances, i => Assert.InRange(shares.GetValueOrDefault(i.Port), 8, 12));
        Assert.All(channels, c => Assert.True(c.IsMutuallyAuthenticated && c.ServerPrincipal == c.Instance!.Spn.ToString(), report));
        Assert.All(_instances, i => Assert.True(i.Server.Metrics.HandshakesSucceeded == shares[i.Port], $"{i.Port} counted {i.Server.Metrics.HandshakesSucceeded}\n{report}"));
        await DisposeAllAsync(channels);
    }

    [Fact]
    public async Task With_one_instance_stopped_and_its_SCP_left_behind_every_client_connects_to_the_other_two_and_the_attempts_show_it()
    {
        DirectoryServer stopped = _instances[1];
        await stopped.StopAsync();
        Assert.Equal(3, (await ActorAuthClient.DiscoverAllAsync(fixture.Directory, "actorauth", Keywords)).Count);

        List<AuthenticatedChannel> channels = await ConnectClientsAsync();

        Dictionary<int, int> shares = channels.GroupBy(c => c.Instance!.Port).ToDictionary(g => g.Key, g => g.Count());
        string report = Report(channels, shares);
        Assert.False(shares.ContainsKey(stopped.Port), report);
        Assert.All(_instances.Where(i => i != stopped), i => Assert.InRange(shares.GetValueOrDefault(i.Port), 10, 20));
        InstanceAttempt[] skipped = [.. channels.SelectMany(c => c.SkippedInstances)];
        Assert.NotEmpty(skipped);
        Assert.All(skipped, a => Assert.True(a.Instance.Port == stopped.Port && a.Failure == ClientFailure.ConnectFailed, report));
        await DisposeAllAsync(channels);
    }

    [Fact]
    public async Task With_every_instance_gone_the_error_lists_every_instance_tried()
    {
        foreach (DirectoryServer instance in _instances)
        {
            await instance.StopAsync();
        }

        var e = await Assert.ThrowsAsync<ActorAuthClientException>(() => ActorAuthClient.ConnectDiscoveredAsync(fixture.Directory, "actorauth", Keywords, Alice));

        Assert.Equal(ClientFailure.ConnectFailed, e.Failure);
        Assert.Equal(_instances.Select(i => i.Port).Order(), e.Attempts.Select(a => a.Instance.Port).Order());
        Assert.Contains("No instance of the service", e.Message, StringComparison.Ordinal);
        Assert.All(_instances, i => Assert.Contains($"localhost:{i.Port} ({i.Spn}): ConnectFailed", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_instance_that_accepts_but_never_answers_is_skipped_after_the_handshake_timeout()
    {
        // A listener that takes connections into its backlog and never reads: a hung node, as the kernel shows it.
        using var hung = new TcpListener(IPAddress.Loopback, 0);
        hung.Start();
        int hungPort = ((IPEndPoint)hung.LocalEndpoint).Port;
        // It registered its SPN before it hung, as every instance does, so the client gets as far as its socket.
        await fixture.Directory.RegisterSpnsAsync([ServicePrincipalName.Parse($"actorauth/localhost:{hungPort}")], CancellationToken.None);
        await fixture.Directory.PublishScpAsync(
            new([_service.ToString("D"), "ActorAuth"], "actorauth", "localhost", "A", [$"localhost:{hungPort}"]) { InstanceName = hungPort.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            CancellationToken.None);
        ActorAuthClientOptions options = Alice with { HandshakeTimeout = TimeSpan.FromSeconds(1) };

        // Four sequential clients over four instances: one of them meets the hung one, then it is tried last.
        var channels = new List<AuthenticatedChannel>();
        for (int i = 0; i < 4; i++)
        {
            channels.Add(await ActorAuthClient.ConnectDiscoveredAsync(fixture.Directory, "actorauth", Keywords, options));
        }

        string report = Report(channels, []);
        Assert.DoesNotContain(channels, c => c.Instance!.Port == hungPort);
        InstanceAttempt skipped = Assert.Single(channels.SelectMany(c => c.SkippedInstances));
        Assert.True(skipped.Instance.Port == hungPort && skipped.Failure == ClientFailure.Timeout, report);
        await DisposeAllAsync(channels);
    }

    [Fact]
    public async Task Bench_over_discovery_spreads_its_sessions_over_the_instances()
    {
        (int exit, string stdout, string stderr) = await ChildProcess.RunAsync("dotnet", fixture.Realm.Environment,
            [ChildProcess.Cli, "bench", "--discover", "--keywords", _service.ToString("D"), "--realm-dir", fixture.Realm.Directory, "--dir", fixture.Realm.Directory,
             "--connections", "3", "--handshakes", "30"]);

        Assert.True(exit == 0, $"{stdout}\n{stderr}");
        string[] lines = stdout.Split('\n', StringSplitOptions.TrimEntries);
        Assert.All(_instances, i => Assert.Contains(lines, l => l.StartsWith($"instance localhost:{i.Port} ({i.Spn}): ", StringComparison.Ordinal) && Sessions(l) >= 8));
        Assert.Contains("failovers: 0", lines);

        static long Sessions(string line) => long.Parse(line.Split(": ")[^1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>30 clients at once, each discovering and connecting on its own; all must succeed.</summary>
    private async Task<List<AuthenticatedChannel>> ConnectClientsAsync()
    {
        Task<AuthenticatedChannel>[] connecting = [.. Enumerable.Range(0, Clients).Select(_ => ActorAuthClient.ConnectDiscoveredAsync(fixture.Directory, "actorauth", Keywords, Alice))];
        try
        {
            return [.. await Task.WhenAll(connecting)];
        }
        catch (Exception e)
        {
            Assert.Fail($"{e}\n{string.Join("\n", _instances.Select(i => $"--- instance {i.Port}:\n{i.Log.Tail(20)}"))}");
            throw;
        }
    }

    private static string Report(List<AuthenticatedChannel> channels, Dictionary<int, int> shares) =>
        $"shares: {string.Join(", ", shares.Select(s => $"{s.Key}={s.Value}"))}\nskipped: {string.Join("\n  ", channels.SelectMany(c => c.SkippedInstances))}";

    private static async Task DisposeAllAsync(List<AuthenticatedChannel> channels)
    {
        foreach (AuthenticatedChannel channel in channels)
        {
            await channel.DisposeAsync();
        }
    }
}
