namespace ActorAuth.Cluster.Tests;

/// <summary>
/// When no majority can answer the replay check: two of three nodes killed, the survivor asks in vain. Each test starts
/// its own cluster, since it kills it.
/// </summary>
public sealed class ReplayUnavailableTests
{
    [Fact]
    public async Task By_default_a_node_that_cannot_reach_a_majority_refuses_the_handshake_then_downs_itself()
    {
        await using var cluster = await OwnCluster.StartAsync("replay-cache { timeout = 1s }");
        ClusterNode survivor = cluster.Nodes[0];
        await cluster.Nodes[1].KillAsync();
        await cluster.Nodes[2].KillAsync();

        bool accepted = await survivor.AcceptsTokenAsync(cluster.FirstToken());

        Assert.False(accepted, survivor.Log);
        Assert.True(await TestServer.EventuallyAsync(() => survivor.Log.Contains("closed in handshake: cluster-unavailable", StringComparison.Ordinal)), survivor.Log);
        Assert.Contains(" of 3 nodes", survivor.Log.Split('\n').First(l => l.Contains("cluster-unavailable", StringComparison.Ordinal)), StringComparison.Ordinal);
        // Keep-majority: the minority side downs itself, and the node stops rather than serve alone.
        Assert.True(await TestServer.EventuallyAsync(() => !survivor.IsRunning, TimeSpan.FromSeconds(30)), survivor.Log);
    }

    [Fact]
    public async Task With_when_unavailable_accept_the_node_accepts_on_its_own_cache_and_warns()
    {
        await using var cluster = await OwnCluster.StartAsync("replay-cache { timeout = 1s, when-unavailable = accept }");
        ClusterNode survivor = cluster.Nodes[0];
        await cluster.Nodes[1].KillAsync();
        await cluster.Nodes[2].KillAsync();

        bool accepted = await survivor.AcceptsTokenAsync(cluster.FirstToken());

        Assert.True(accepted, survivor.Log);
        Assert.Contains("accepted without the cluster's replay check", survivor.Log, StringComparison.Ordinal);
    }

    /// <summary>A cluster of this test's own, with extra <c>actorauth.cluster</c> keys.</summary>
    private sealed class OwnCluster(string keys) : ThreeNodes, IAsyncDisposable
    {
        protected override string ClusterKeys => keys;

        public static async Task<OwnCluster> StartAsync(string keys)
        {
            var cluster = new OwnCluster(keys);
            await cluster.InitializeAsync();
            return cluster;
        }

        async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();
    }
}
