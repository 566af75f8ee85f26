using System.Net;
using System.Text.Json;
using ActorAuth.Client;
using ActorAuth.Security;

namespace ActorAuth.Cluster.Tests;

/// <summary>A node killed with SIGKILL under load, behind HAProxy: what the cluster does about it, and its return.</summary>
[Collection(ProxiedCollection.Name)]
public sealed class NodeFailureTests(ProxiedNodes cluster)
{
    [Fact]
    public async Task A_node_killed_under_load_is_downed_its_sessions_leave_the_registry_replays_stay_refused_and_it_rejoins()
    {
        ClusterNode victim = cluster.Nodes[2], survivor = cluster.Nodes[0];
        byte[] token = cluster.FirstToken();
        Assert.True(await victim.AcceptsTokenAsync(token), "the victim did not accept a fresh token\n" + cluster.Logs);
        await using AuthenticatedChannel held = await cluster.ConnectAsync(victim, "bob");
        await using AuthenticatedChannel operatorSession = await cluster.ConnectAsync(survivor, "carol");
        Assert.True(await TestServer.EventuallyAsync(async () => (await SessionNodesAsync(operatorSession)).Contains(victim.Node)), cluster.Logs);

        using var load = new Load(cluster);
        await Task.Delay(1_000);
        await victim.KillAsync();
        DateTime killed = DateTime.UtcNow;

        // The resolver downs it (keep-majority, down-unreachable-after = 3 s) and its sessions leave the registry.
        Assert.True(await TestServer.EventuallyAsync(() => survivor.Log.Contains($"node {victim.Node} was downed", StringComparison.Ordinal) || survivor.Log.Contains($"node {victim.Node} was removed", StringComparison.Ordinal), TimeSpan.FromSeconds(30)), cluster.Logs);
        Assert.True(await TestServer.EventuallyAsync(async () => !(await SessionNodesAsync(operatorSession)).Contains(victim.Node), TimeSpan.FromSeconds(10)), cluster.Logs);
        TimeSpan downedAfter = DateTime.UtcNow - killed;

        // The token the dead node accepted is still known to the living: a replay to them is refused.
        Assert.False(await survivor.AcceptsTokenAsync(token), "a replay of the dead node's token was accepted\n" + cluster.Logs);
        Assert.True(await TestServer.EventuallyAsync(() => survivor.Log.Contains("closed in handshake: replay", StringComparison.Ordinal)), survivor.Log);

        // Clients reconnected to the other two: once HAProxy's checks took the node out, nothing failed.
        (int before, int during, int after, int failedAfter) = await load.StopAsync(settle: TimeSpan.FromSeconds(3));
        Assert.True(before > 0 && after > 0, $"handshakes before {before}, during {during}, after {after}\n{cluster.Logs}");
        Assert.True(failedAfter == 0, $"{failedAfter} handshakes failed once HAProxy had taken the node out (downed after {downedAfter.TotalSeconds:0.0} s)\n{load.Failures}\n{cluster.HaProxy.Diagnostics()}");

        // Restarted, it rejoins, copies the replay cache before it serves, and refuses the replay itself.
        await victim.StartAsync();
        Assert.True(await TestServer.EventuallyAsync(() => survivor.Count($"node {victim.Node} is up") >= 2, TimeSpan.FromSeconds(30)), cluster.Logs);
        Assert.False(await victim.AcceptsTokenAsync(token), "the restarted node accepted a replay\n" + victim.Log);
        Assert.True(await TestServer.EventuallyAsync(() => victim.Log.Contains("closed in handshake: replay", StringComparison.Ordinal)), victim.Log);
        await using AuthenticatedChannel again = await cluster.ConnectAsync(victim, "bob");
        Assert.True(await TestServer.EventuallyAsync(async () => (await SessionNodesAsync(operatorSession)).Contains(victim.Node), TimeSpan.FromSeconds(10)), cluster.Logs);
    }

    private static async Task<HashSet<string>> SessionNodesAsync(AuthenticatedChannel operatorSession)
    {
        ReadOnlyMemory<byte> reply = await operatorSession.RequestAsync(ReadOnlyMemory<byte>.Empty, "sessions-list");
        using JsonDocument list = JsonDocument.Parse(reply);
        return [.. list.RootElement.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("node").GetString()!)];
    }

    /// <summary>Eight clients through HAProxy, each connecting, authenticating and echoing in a loop (bounded) until stopped.</summary>
    private sealed class Load : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task[] _workers;
        private readonly List<(DateTime At, bool Ok, string? Why)> _results = [];

        public Load(ThreeNodes cluster)
        {
            int port = ((ProxiedNodes)cluster).HaProxy.Port;
            _workers = [.. Enumerable.Range(0, 8).Select(i => Task.Run(() => RunAsync(cluster, port, IPAddress.Parse($"127.0.0.{10 + i}"))))];
        }

        public string Failures
        {
            get
            {
                lock (_results)
                {
                    return string.Join("\n", _results.Where(r => !r.Ok).Select(r => $"{r.At:HH:mm:ss.fff} {r.Why}").TakeLast(20));
                }
            }
        }

        private async Task RunAsync(ThreeNodes cluster, int port, IPAddress from)
        {
            for (int i = 0; i < 10_000 && !_stop.IsCancellationRequested; i++)
            {
                try
                {
                    await using AuthenticatedChannel channel = await cluster.ConnectAsync(port, "bob", from, _stop.Token);
                    await channel.RequestAsync("x"u8.ToArray(), "echo", _stop.Token);
                    Record(true, null);
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is ActorAuthClientException or IOException)
                {
                    Record(false, e.Message);
                    await Task.Delay(50);
                }
            }
        }

        private void Record(bool ok, string? why)
        {
            lock (_results)
            {
                _results.Add((DateTime.UtcNow, ok, why));
            }
        }

        /// <summary>Runs <paramref name="settle"/> more, stops, and counts: before the first failure, up to the last failure, after it; failures in the last <paramref name="settle"/>.</summary>
        public async Task<(int Before, int During, int After, int FailedAfter)> StopAsync(TimeSpan settle)
        {
            DateTime settledFrom = DateTime.UtcNow;
            await Task.Delay(settle);
            _stop.Cancel();
            await Task.WhenAll(_workers);
            lock (_results)
            {
                DateTime firstFailure = _results.Where(r => !r.Ok).Select(r => r.At).DefaultIfEmpty(DateTime.MaxValue).Min();
                DateTime lastFailure = _results.Where(r => !r.Ok).Select(r => r.At).DefaultIfEmpty(DateTime.MinValue).Max();
                return (_results.Count(r => r.Ok && r.At < firstFailure), _results.Count(r => r.At >= firstFailure && r.At <= lastFailure),
                    _results.Count(r => r.Ok && r.At > lastFailure), _results.Count(r => !r.Ok && r.At >= settledFrom));
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _stop.Dispose();
        }
    }
}
