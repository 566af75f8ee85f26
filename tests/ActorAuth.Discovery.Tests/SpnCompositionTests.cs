using ActorAuth.Client;
using ActorAuth.Directory;

namespace ActorAuth.Discovery.Tests;

/// <summary>How <see cref="ActorAuthClient.DiscoverAllAsync"/> turns SCPs into instances (host, port and SPN); no KDC needed.</summary>
public sealed class SpnCompositionTests
{
    [Theory]
    [InlineData("A", "host.example.com", "host.example.com:2000", "host.example.com", 2000, "actorauth/host.example.com:2000")]
    [InlineData("a", "host.example.com", "10.0.0.7:2000", "10.0.0.7", 2000, "actorauth/host.example.com:2000")]
    [InlineData("SRV", "_actorauth._tcp.example.com", "node1.example.com:2001", "node1.example.com", 2001, "actorauth/node1.example.com:2001/_actorauth._tcp.example.com")]
    [InlineData("A", "v6.example.com", "[::1]:2000", "::1", 2000, "actorauth/v6.example.com:2000")]
    public async Task The_SPN_is_DsMakeSpn_of_the_class_the_DNS_name_and_the_binding_port(
        string type, string dnsName, string binding, string host, int port, string spn)
    {
        DiscoveredService found = Assert.Single(await ActorAuthClient.DiscoverAllAsync(new Scps(new ServiceConnectionPoint([], "actorauth", dnsName, type, [binding])), "actorauth", null));

        Assert.Equal((host, port, spn), (found.Host, found.Port, found.Spn.ToString()));
    }

    [Fact]
    public async Task The_first_binding_entry_of_the_form_host_port_is_used()
    {
        var scp = new ServiceConnectionPoint([], "actorauth", "h.example.com", "A", ["ldap://h.example.com", "::1:2000", "h.example.com:0", "h.example.com:2002"]);

        DiscoveredService found = Assert.Single(await ActorAuthClient.DiscoverAllAsync(new Scps(scp), "actorauth", null));

        Assert.Equal(("h.example.com", 2002), (found.Host, found.Port));
    }

    [Theory]
    [InlineData("no-port.example.com", "h.example.com", "host:port")]
    [InlineData("h.example.com:2000", "bad/name", "cannot name an SPN")]
    public async Task An_SCP_without_a_usable_binding_or_DNS_name_is_ServiceNotFound(string binding, string dnsName, string says)
    {
        var e = await Assert.ThrowsAsync<ActorAuthClientException>(
            () => ActorAuthClient.DiscoverAllAsync(new Scps(new ServiceConnectionPoint([], "actorauth", dnsName, "A", [binding])), "actorauth", null));

        Assert.Equal(ClientFailure.ServiceNotFound, e.Failure);
        Assert.Contains(says, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unusable_SCP_is_skipped_beside_usable_ones()
    {
        ServiceInstances found = await ActorAuthClient.DiscoverAllAsync(
            new Scps(new([], "actorauth", "a.example.com", "A", ["no-port"]), new([], "actorauth", "b.example.com", "A", ["b.example.com:2000"])), "actorauth", null);

        Assert.Equal("b.example.com", Assert.Single(found).Host);
    }

    [Fact]
    public async Task Two_SCPs_naming_the_same_host_and_port_are_one_instance()
    {
        // What an SCP left by a version that published one per host looks like beside the instance's own.
        ServiceInstances found = await ActorAuthClient.DiscoverAllAsync(
            new Scps(new([], "actorauth", "h.example.com", "A", ["h.example.com:2000"]), new([], "actorauth", "h.example.com", "A", ["H.example.com:2000"]) { InstanceName = "2000" }),
            "actorauth",
            null);

        Assert.Single(found);
    }

    /// <summary>A directory holding these SCPs; discovery only searches, so everything else is refused.</summary>
    private sealed class Scps(params ServiceConnectionPoint[] scps) : IDirectoryBackend
    {
        public string Account => "test";

        public Task<IReadOnlyList<ServiceConnectionPoint>> FindScpsAsync(string serviceClass, IReadOnlyList<string>? keywords, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ServiceConnectionPoint>>(scps);

        public Task<IReadOnlyList<string>> GetAccountSpnsAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task RegisterSpnsAsync(IReadOnlyList<ServicePrincipalName> spns, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task RemoveSpnAsync(ServicePrincipalName spn, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ServiceConnectionPoint> PublishScpAsync(ServiceConnectionPoint scp, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task RemoveScpAsync(ServiceConnectionPoint scp, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
