using System.Buffers;
using System.Net;
using ActorAuth.Client;
using ActorAuth.Protocol;

namespace ActorAuth.Cluster.Tests;

/// <summary>Three nodes behind HAProxy: the clients' own addresses reach the nodes, and nobody else may claim one.</summary>
[Collection(ProxiedCollection.Name)]
public sealed class LoadBalancerTests(ProxiedNodes cluster)
{
    [Fact]
    public async Task Honest_clients_through_HAProxy_all_succeed_and_the_nodes_log_their_real_addresses()
    {
        IPAddress[] clients = [IPAddress.Parse("127.0.0.2"), IPAddress.Parse("127.0.0.3"), IPAddress.Parse("127.0.0.4")];

        foreach (IPAddress client in clients.Concat(clients).Concat(clients))
        {
            await using AuthenticatedChannel channel = await cluster.ConnectAsync(cluster.HaProxy.Port, "bob", client);
            Assert.Equal("ok", System.Text.Encoding.UTF8.GetString((await channel.RequestAsync("ok"u8.ToArray())).Span));
        }

        // Round-robin: every node served some, and logged each client by its own address, never by the proxy's.
        Assert.All(cluster.Nodes, node =>
        {
            Assert.Contains(clients, c => node.Log.Contains($" {c}:", StringComparison.Ordinal) && node.Log.Contains("authenticated bob@", StringComparison.Ordinal));
            Assert.DoesNotContain(node.Log.Split('\n'), l => l.Contains("authenticated", StringComparison.Ordinal) && l.Contains($" {ProxiedNodes.ProxySource}:", StringComparison.Ordinal));
        });
    }

    [Fact]
    public async Task A_PROXY_header_from_an_untrusted_address_is_refused_and_counted()
    {
        ClusterNode node = cluster.Nodes[0];
        int before = node.Count("untrusted-proxy");
        var header = new ArrayBufferWriter<byte>();
        ProxyHeader.WriteV2(header, new IPEndPoint(IPAddress.Parse("192.0.2.66"), 40000), new IPEndPoint(IPAddress.Loopback, node.Port));

        using RawClient raw = await RawClient.ConnectAsync(node.Port);
        await raw.SendAsync(header.WrittenSpan.ToArray());
        byte[] answer = await raw.ReadUntilClosedAsync(TimeSpan.FromSeconds(10));

        Assert.Empty(answer);
        Assert.True(await TestServer.EventuallyAsync(() => node.Count("untrusted-proxy") > before), node.Log);
        Assert.DoesNotContain("192.0.2.66", node.Log, StringComparison.Ordinal);
    }
}
