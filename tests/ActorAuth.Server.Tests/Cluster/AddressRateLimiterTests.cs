using System.Net;
using ActorAuth.Server.Tcp;

namespace ActorAuth.Server.Tests.Cluster;

public sealed class AddressRateLimiterTests
{
    private static readonly IPAddress Client = IPAddress.Parse("127.0.0.9");

    [Fact]
    public void An_address_gets_its_burst_then_is_refused()
    {
        var limiter = new AddressRateLimiter(perSecond: 1, burst: 3);

        bool[] admitted = [.. Enumerable.Range(0, 4).Select(_ => limiter.TryAcquire(Client))];

        Assert.Equal([true, true, true, false], admitted);
    }

    [Fact]
    public void Connections_another_node_admitted_are_charged_to_this_nodes_bucket()
    {
        var limiter = new AddressRateLimiter(perSecond: 1, burst: 3);

        limiter.Charge(Client, 3);

        Assert.False(limiter.TryAcquire(Client));
        Assert.True(limiter.TryAcquire(IPAddress.Parse("127.0.0.10")));
    }

    [Fact]
    public void Admissions_are_reported_once_for_the_other_nodes()
    {
        var limiter = new AddressRateLimiter(perSecond: 100, burst: 100);
        limiter.TryAcquire(Client);
        limiter.TryAcquire(Client);

        Assert.Equal([(Client, 2)], limiter.TakeAdmitted());
        Assert.Empty(limiter.TakeAdmitted());
    }
}
