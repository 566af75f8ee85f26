using System.Net;

namespace ActorAuth.Cluster.Tests;

/// <summary>
/// Three nodes behind a real HAProxy in TCP mode (round-robin, send-proxy-v2, health checks every second). HAProxy
/// connects to the nodes from 127.0.0.100, the only trusted proxy; tests that go round it connect from 127.0.0.1.
/// </summary>
public sealed class ProxiedNodes : ThreeNodes
{
    /// <summary>HAProxy's source address towards the nodes.</summary>
    public static readonly IPAddress ProxySource = IPAddress.Parse("127.0.0.100");

    private HaProxy? _haproxy;

    /// <summary>The load balancer.</summary>
    public HaProxy HaProxy => _haproxy ?? throw new InvalidOperationException("HAProxy is not up.");

    /// <inheritdoc />
    protected override string ServerKeys => $", trusted-proxies = [\"{ProxySource}\"]";

    /// <inheritdoc />
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _haproxy = await HaProxy.StartAsync(
            [.. Nodes.Select(n => new IPEndPoint(IPAddress.Loopback, n.Port))], $"{HaProxy.DefaultServerOptions} source {ProxySource}");
    }

    /// <inheritdoc />
    public override async Task DisposeAsync()
    {
        if (_haproxy is not null)
        {
            await _haproxy.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}

/// <summary>The tests that share the proxied cluster; they kill and restart a node, so they run after one another.</summary>
[CollectionDefinition(Name)]
public sealed class ProxiedCollection : ICollectionFixture<ProxiedNodes>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "three nodes behind haproxy";
}
