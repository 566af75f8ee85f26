using System.Net;
using ActorAuth.Client;
using ActorAuth.Security;
using DevRealmInstance = ActorAuth.DevRealm.DevRealm;

namespace ActorAuth.Cluster.Tests;

/// <summary>
/// A real KDC (alice, bob and carol; alice and carol are operators) and three ActorAuth nodes on 127.0.0.1 that
/// are each other's seeds, each its own process with its own MIT replay cache.
/// </summary>
public class ThreeNodes : IAsyncLifetime
{
    private DevRealmInstance? _realm;

    /// <summary>The realm.</summary>
    public DevRealmInstance Realm => _realm ?? throw new InvalidOperationException("The realm is not up.");

    /// <summary>The nodes, in start order.</summary>
    public IReadOnlyList<ClusterNode> Nodes { get; private set; } = [];

    /// <summary>Extra <c>actorauth.cluster</c> keys for every node; a revoke lasts 3 s here, so the tests after one are not refused.</summary>
    protected virtual string ClusterKeys => "revoke-for = 3s";

    /// <summary>Extra <c>actorauth.server</c> keys for every node.</summary>
    protected virtual string ServerKeys => "";

    /// <summary>The principal of <paramref name="user"/>, e.g. alice@ACTORAUTH.TEST.</summary>
    public string Principal(string user) => Realm.PrincipalOf(user);

    /// <summary>Everything every node logged, for a failed assertion.</summary>
    public string Logs => string.Join("\n", Nodes.Select(n => $"===== {n} =====\n{n.Log}"));

    /// <inheritdoc />
    public virtual async Task InitializeAsync()
    {
        _realm = await SharedRealm.AcquireAsync();
        string directory = Path.Combine(_realm.Directory, GetType().Name);
        System.IO.Directory.CreateDirectory(directory);
        int[] ports = ClusterNode.FreePorts(6);
        int[] clusterPorts = ports[3..];
        Nodes = [.. Enumerable.Range(0, 3).Select(i => ClusterNode.Create($"node{i + 1}", _realm, directory, ports[i], clusterPorts[i], clusterPorts, ClusterKeys, ServerKeys))];
        // The first seed forms the cluster; the others join it.
        await Nodes[0].StartAsync();
        await Task.WhenAll(Nodes.Skip(1).Select(n => n.StartAsync()));
    }

    /// <summary>Authenticates <paramref name="user"/> to <paramref name="node"/> (sockauth, mutual, encrypted).</summary>
    public Task<AuthenticatedChannel> ConnectAsync(ClusterNode node, string user = "alice") => ConnectAsync(node.Port, user);

    /// <summary>Authenticates <paramref name="user"/> to whatever listens on 127.0.0.1:<paramref name="port"/>, from <paramref name="from"/> (default 127.0.0.1).</summary>
    public Task<AuthenticatedChannel> ConnectAsync(int port, string user, IPAddress? from = null, CancellationToken cancellationToken = default) =>
        ActorAuthClient.ConnectAsync("127.0.0.1", port, RealmFixture.ServicePrincipal,
            new ActorAuthClientOptions { Credential = new NetworkCredential(user, Realm.PasswordOf(user)), LocalAddress = from }, cancellationToken);

    /// <summary>A fresh initial context token of alice's for the service (a real AP-REQ), to send and replay by hand.</summary>
    public byte[] FirstToken(string package = "Negotiate")
    {
        using var client = new ClientSecurityContext(new ClientContextOptions
        {
            Package = package,
            TargetName = RealmFixture.ServicePrincipal,
            Credential = new NetworkCredential("alice", Realm.PasswordOf("alice")),
        });
        SecurityStatus status = client.Initialize([], out byte[]? token);
        Assert.False(status.IsError, status.ToString());
        return token!;
    }

    /// <summary>True when <paramref name="channel"/> still answers an echo; false once its session has ended.</summary>
    public static async Task<bool> StillServedAsync(AuthenticatedChannel channel)
    {
        try
        {
            return (await channel.RequestAsync("ping"u8.ToArray(), "echo")).Length == 4;
        }
        catch (Exception e) when (e is ActorAuthClientException or IOException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public virtual async Task DisposeAsync()
    {
        foreach (ClusterNode node in Nodes)
        {
            await node.DisposeAsync();
        }

        if (_realm is not null)
        {
            await SharedRealm.ReleaseAsync();
        }
    }
}
