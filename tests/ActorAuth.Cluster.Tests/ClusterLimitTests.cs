using System.Net;
using System.Net.Sockets;
using ActorAuth.Client;

namespace ActorAuth.Cluster.Tests;

/// <summary>Limits that hold for the cluster, not per node: sessions per principal, connections per address.</summary>
[Collection(LimitedCollection.Name)]
public sealed class ClusterLimitTests(LimitedNodes cluster)
{
    [Fact]
    public async Task Max_sessions_per_principal_counts_the_sessions_of_every_node()
    {
        await using AuthenticatedChannel first = await cluster.ConnectAsync(cluster.Nodes[0], "bob");
        await using AuthenticatedChannel second = await cluster.ConnectAsync(cluster.Nodes[1], "bob");
        // Gossip every 50 ms: node 3 learns of both.
        await Task.Delay(300);

        ActorAuthClientException refused = await Assert.ThrowsAsync<ActorAuthClientException>(() => cluster.ConnectAsync(cluster.Nodes[2], "bob"));

        Assert.Contains("session-limit", refused.Message, StringComparison.Ordinal);
        Assert.Contains("max-sessions-per-principal", cluster.Nodes[2].Log, StringComparison.Ordinal);
        await using AuthenticatedChannel carol = await cluster.ConnectAsync(cluster.Nodes[2], "carol");
    }

    [Fact]
    public async Task Sessions_admitted_on_several_nodes_at_once_beyond_the_limit_are_cut_back_to_it()
    {
        var opened = await Task.WhenAll(cluster.Nodes.Concat(cluster.Nodes).Select(async n =>
        {
            try
            {
                return await cluster.ConnectAsync(n, "alice");
            }
            catch (ActorAuthClientException)
            {
                return null;
            }
        }));
        AuthenticatedChannel[] channels = [.. opened.OfType<AuthenticatedChannel>()];

        bool cutBack = await TestServer.EventuallyAsync(async () => (await Task.WhenAll(channels.Select(ThreeNodes.StillServedAsync))).Count(s => s) <= 2, TimeSpan.FromSeconds(5));

        Assert.True(cutBack, cluster.Logs);
        Assert.True((await Task.WhenAll(channels.Select(ThreeNodes.StillServedAsync))).Count(s => s) >= 1, "the limit ended every session\n" + cluster.Logs);
        foreach (AuthenticatedChannel channel in channels)
        {
            await channel.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_per_address_rate_holds_for_the_cluster_not_once_per_node()
    {
        // 30 connections from one address over 3 s, round-robin over the nodes: 10 per node at 3.3 a second, which
        // each node alone would admit at 5 a second. The cluster's one bucket admits about burst + 3 s × rate = 20.
        IPAddress client = IPAddress.Parse("127.0.0.9");
        var attempts = new List<Task<bool>>();
        for (int i = 0; i < 30; i++)
        {
            attempts.Add(AdmittedAsync(client, cluster.Nodes[i % 3].Port));
            await Task.Delay(100);
        }

        int admitted = (await Task.WhenAll(attempts)).Count(a => a);

        // Tolerance (docs/CLUSTER.md): up to one more burst and one gossip interval's rate per other node.
        Assert.InRange(admitted, LimitedNodes.Rate, 20 + (2 * (LimitedNodes.Rate + 1)));
        Assert.True(admitted < 30, $"all 30 admitted: the nodes did not share the address's rate\n{cluster.Logs}");
    }

    private static async Task<bool> AdmittedAsync(IPAddress source, int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(source, 0));
        await socket.ConnectAsync(IPAddress.Loopback, port);
        // A refused connection is closed at once; an admitted one waits for its first token.
        using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        try
        {
            return await socket.ReceiveAsync(new byte[1], SocketFlags.None, wait.Token) != 0;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
