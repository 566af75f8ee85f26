using ActorAuth.Hocon;
using ActorAuth.Server.Cluster;
using Microsoft.Extensions.Configuration;

namespace ActorAuth.Server.Tests.Cluster;

public sealed class ClusterSettingsTests
{
    private static ClusterSettings Read(string hocon) => ClusterSettings.From(new ConfigurationBuilder().AddHoconString(hocon).Build());

    [Fact]
    public void The_reference_configuration_states_the_same_cluster_defaults_as_the_code()
    {
        string reference = Path.Combine(AppContext.BaseDirectory, "shipped", "config", "reference.conf");
        ClusterSettings shipped = ClusterSettings.From(new ConfigurationBuilder().AddHoconFile(reference).Build());

        Assert.Equal(new ClusterSettings() with { SeedNodes = shipped.SeedNodes, Roles = shipped.Roles }, shipped);
        Assert.Empty(shipped.SeedNodes);
        Assert.Empty(shipped.Roles);
    }

    [Fact]
    public void The_cluster_is_off_by_default_and_refuses_when_unavailable()
    {
        ClusterSettings settings = Read("actorauth {}");

        Assert.False(settings.Enabled);
        Assert.Equal(ReplayUnavailablePolicy.Refuse, settings.WhenUnavailable);
        Assert.Equal(TimeSpan.FromMinutes(10), settings.ReplayWindow);
        Assert.Equal(0, settings.MaxSessionsPerPrincipal);
    }

    [Fact]
    public void Seed_nodes_as_host_port_become_akka_addresses()
    {
        ClusterSettings settings = Read("""actorauth.cluster { enabled = on, port = 4053, seed-nodes = ["127.0.0.1:4053", "akka.tcp://actorauth@10.0.0.2:4053"] }""");

        Assert.Equal(["akka.tcp://actorauth@127.0.0.1:4053", "akka.tcp://actorauth@10.0.0.2:4053"], settings.SeedAddresses);
        Assert.Equal(4053, settings.Port);
    }

    [Theory]
    [InlineData("""actorauth.cluster.seed-nodes = ["no-port"]""", "seed-nodes")]
    [InlineData("actorauth.cluster.replay-cache.when-unavailable = maybe", "when-unavailable")]
    [InlineData("actorauth.cluster.replay-cache.timeout = 0s", "replay-cache:timeout")]
    [InlineData("actorauth.cluster.port = 70000", "port")]
    [InlineData("actorauth.cluster.max-sessions-per-principal = -1", "max-sessions-per-principal")]
    public void A_bad_value_is_an_error_naming_its_key(string hocon, string key)
    {
        FormatException e = Assert.Throws<FormatException>(() => Read(hocon));

        Assert.Contains(key, e.Message, StringComparison.Ordinal);
    }
}
