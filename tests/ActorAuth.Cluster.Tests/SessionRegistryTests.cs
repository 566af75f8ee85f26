using System.Diagnostics;
using System.Text;
using System.Text.Json;
using ActorAuth.Client;

namespace ActorAuth.Cluster.Tests;

/// <summary>The cluster-wide session registry and the operators' sessions-list and sessions-revoke.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SessionRegistryTests(ThreeNodes cluster)
{
    private async Task<JsonElement> CallAsync(AuthenticatedChannel channel, string operation, string body = "")
    {
        ReadOnlyMemory<byte> reply = await channel.RequestAsync(Encoding.UTF8.GetBytes(body), operation);
        return JsonDocument.Parse(reply).RootElement.Clone();
    }

    [Fact]
    public async Task Sessions_list_on_any_node_shows_the_sessions_of_every_node()
    {
        var bobs = new List<AuthenticatedChannel>();
        foreach (ClusterNode node in cluster.Nodes)
        {
            bobs.Add(await cluster.ConnectAsync(node, "bob"));
        }

        await using AuthenticatedChannel operatorSession = await cluster.ConnectAsync(cluster.Nodes[2], "carol");
        string[] nodes = [];
        Assert.True(await TestServer.EventuallyAsync(async () =>
        {
            JsonElement list = await CallAsync(operatorSession, "sessions-list", cluster.Principal("bob"));
            nodes = [.. list.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("node").GetString()!).Distinct().Order()];
            return nodes.Length == 3;
        }, TimeSpan.FromSeconds(5)), $"bob's sessions seen on [{string.Join(", ", nodes)}]\n{cluster.Logs}");
        Assert.Equal(cluster.Nodes.Select(n => n.Node).Order(), nodes);
        foreach (AuthenticatedChannel bob in bobs)
        {
            await bob.DisposeAsync();
        }
    }

    [Fact]
    public async Task Sessions_revoke_ends_alices_sessions_on_all_three_nodes_within_a_second_while_bobs_continue()
    {
        var alices = new List<AuthenticatedChannel>();
        var bobs = new List<AuthenticatedChannel>();
        foreach (ClusterNode node in cluster.Nodes)
        {
            alices.Add(await cluster.ConnectAsync(node, "alice"));
            alices.Add(await cluster.ConnectAsync(node, "alice"));
            bobs.Add(await cluster.ConnectAsync(node, "bob"));
        }

        int[] revokedBefore = [.. cluster.Nodes.Select(n => n.Count("closed in session: revoked"))];
        await using AuthenticatedChannel operatorSession = await cluster.ConnectAsync(cluster.Nodes[0], "carol");
        // The registry gossips every 50 ms; each node learns of the others' sessions before the revoke is sent.
        await Task.Delay(200);

        var clock = Stopwatch.StartNew();
        JsonElement result = await CallAsync(operatorSession, "sessions-revoke", cluster.Principal("alice"));
        bool allEnded = await TestServer.EventuallyAsync(
            () => cluster.Nodes.Select((n, i) => n.Count("closed in session: revoked") - revokedBefore[i]).All(c => c >= 2), TimeSpan.FromSeconds(5));
        TimeSpan took = clock.Elapsed;

        Assert.True(allEnded, cluster.Logs);
        Assert.True(took < TimeSpan.FromSeconds(1), $"alice's sessions took {took.TotalMilliseconds:0} ms to end on all three nodes\n{cluster.Logs}");
        Assert.Equal(cluster.Nodes.Select(n => (n.Node, 2)).Order(), result.GetProperty("ended").EnumerateObject().Select(p => (p.Name, p.Value.GetInt32())).Order());
        Assert.Empty(result.GetProperty("unconfirmed").EnumerateArray());
        foreach (AuthenticatedChannel alice in alices)
        {
            Assert.False(await ThreeNodes.StillServedAsync(alice), "an alice session still answered after the revoke");
        }

        foreach (AuthenticatedChannel bob in bobs)
        {
            Assert.True(await ThreeNodes.StillServedAsync(bob), "a bob session ended with alice's\n" + cluster.Logs);
        }

        // Refused for revoke-for (3 s here) on every node, then admitted again.
        foreach (ClusterNode node in cluster.Nodes)
        {
            ActorAuthClientException refused = await Assert.ThrowsAsync<ActorAuthClientException>(() => cluster.ConnectAsync(node, "alice"));
            Assert.True(refused.Message.Length > 0);
        }

        Assert.True(await TestServer.EventuallyAsync(AdmitsAliceAgainAsync, TimeSpan.FromSeconds(10)), cluster.Logs);
        Assert.All(cluster.Nodes, n => Assert.Contains("closed in handshake: revoked", n.Log, StringComparison.Ordinal));
    }

    private async Task<bool> AdmitsAliceAgainAsync()
    {
        try
        {
            await using AuthenticatedChannel alice = await cluster.ConnectAsync(cluster.Nodes[0], "alice");
            return true;
        }
        catch (ActorAuthClientException)
        {
            return false;
        }
    }

    [Fact]
    public async Task Sessions_operations_are_denied_to_a_principal_the_authorization_file_does_not_name_as_operator()
    {
        await using AuthenticatedChannel bob = await cluster.ConnectAsync(cluster.Nodes[1], "bob");

        ActorAuthClientException denied = await Assert.ThrowsAsync<ActorAuthClientException>(() => bob.RequestAsync(Encoding.UTF8.GetBytes(cluster.Principal("alice")), "sessions-revoke"));

        Assert.Contains("operators", denied.Message, StringComparison.Ordinal);
        Assert.True(await ThreeNodes.StillServedAsync(bob));
    }
}
