using ActorAuth.Security;

namespace ActorAuth.Cluster.Tests;

/// <summary>The cluster-wide replay cache: an AP-REQ accepted by one node is refused by every other.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ReplayAcrossNodesTests(ThreeNodes cluster)
{
    [Theory]
    [InlineData("Negotiate")]
    [InlineData("Kerberos")]
    public async Task An_AP_REQ_captured_on_its_way_to_one_node_and_replayed_to_another_is_refused_with_reason_replay(string package)
    {
        byte[] token = cluster.FirstToken(package);
        ClusterNode first = cluster.Nodes[0], other = cluster.Nodes[1];
        int refusedBefore = other.Count("closed in handshake: replay");

        bool acceptedFirst = await first.AcceptsTokenAsync(token);
        bool acceptedReplay = await other.AcceptsTokenAsync(token);

        Assert.True(acceptedFirst, cluster.Logs);
        Assert.False(acceptedReplay, cluster.Logs);
        Assert.True(await TestServer.EventuallyAsync(() => other.Count("closed in handshake: replay") > refusedBefore), cluster.Logs);
    }

    [Fact]
    public async Task The_same_token_sent_to_two_nodes_at_once_is_accepted_at_most_once()
    {
        byte[] token = cluster.FirstToken("Negotiate");

        bool[] accepted = await Task.WhenAll(cluster.Nodes.Select(n => n.AcceptsTokenAsync(token)));

        Assert.True(accepted.Count(a => a) <= 1, $"accepted by {accepted.Count(a => a)} nodes\n{cluster.Logs}");
    }

    [Fact]
    public async Task Honest_clients_authenticate_on_every_node()
    {
        foreach (ClusterNode node in cluster.Nodes)
        {
            await using Client.AuthenticatedChannel channel = await cluster.ConnectAsync(node, "bob");
            Assert.Equal("bob@" + cluster.Realm.RealmName, channel.ClientPrincipal);
        }
    }
}
