using System.Net;
using System.Net.Security;
using ActorAuth.Hocon;
using Microsoft.Extensions.Configuration;

namespace ActorAuth.Server.Tests;

public sealed class ServerOptionsTests
{
    private static readonly string Shipped = Path.Combine(AppContext.BaseDirectory, "shipped");

    private static ServerOptions Read(string hocon) =>
        ServerOptions.From(new ConfigurationBuilder().AddHoconString(hocon).Build());

    [Fact]
    public void The_reference_configuration_states_the_same_defaults_as_the_code()
    {
        IConfiguration reference = new ConfigurationBuilder().AddHoconFile(Path.Combine(Shipped, "config", "reference.conf")).Build();

        Assert.Equal(new ServerOptions(), ServerOptions.From(reference));
    }

    [Fact]
    public void The_shipped_HOCON_conf_loads_and_listens_on_loopback_port_2000()
    {
        IConfiguration shipped = new ConfigurationBuilder().AddHoconFile(Path.Combine(Shipped, "HOCON.conf")).Build();

        ServerOptions options = ServerOptions.From(shipped);

        Assert.Equal(IPAddress.Loopback, options.Host);
        Assert.Equal(2000, options.Port);
    }

    [Theory]
    [InlineData("production.conf")]
    [InlineData("sign-only.conf")]
    [InlineData("loadtest.conf")]
    public void Every_example_configuration_loads(string example)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddHoconFile(Path.Combine(Shipped, "config", "examples", example)).Build();

        ServerOptions.From(configuration);
    }

    [Fact]
    public void Durations_sizes_and_levels_are_read_in_HOCON_units()
    {
        ServerOptions options = Read("""
            actorauth.server {
              max-frame = 16KiB
              protection-level = sign
              handshake { receive-timeout = 1500ms, max-legs = 3 }
              session.idle-timeout = 2m
            }
            """);

        Assert.Equal(16 * 1024, options.MaxFrameLength);
        Assert.Equal(ProtectionLevel.Sign, options.RequiredProtectionLevel);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), options.HandshakeReceiveTimeout);
        Assert.Equal(3, options.MaxHandshakeLegs);
        Assert.Equal(TimeSpan.FromMinutes(2), options.SessionIdleTimeout);
    }

    [Theory]
    [InlineData("actorauth.server.port = 70000", "port")]
    [InlineData("actorauth.server.package = NTLMv1", "NTLMv1")]
    [InlineData("actorauth.server.protection-level = none", "protection-level")]
    [InlineData("actorauth.server.host = not-an-address", "host")]
    [InlineData("actorauth.server.handshake.receive-timeout = 0s", "receive-timeout")]
    [InlineData("actorauth.server.trusted-proxies = [ \"proxy.example\" ]", "trusted-proxies:0")]
    [InlineData("actorauth.server.trusted-proxies = [ \"10.0.0.0/33\" ]", "trusted-proxies:0")]
    public void A_bad_value_is_refused_with_a_message_naming_it(string hocon, string named)
    {
        Exception e = Assert.ThrowsAny<Exception>(() => Read(hocon));

        Assert.True(e is FormatException or ArgumentException, e.ToString());
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Trusted_proxies_are_addresses_or_cidr_networks()
    {
        ServerOptions options = Read("actorauth.server { trusted-proxies = [ \"127.0.0.1\", \"10.0.0.0/8\", \"2001:db8::/32\" ], max-proxy-header = 2KiB }");

        Assert.Equal([IPNetwork.Parse("127.0.0.1/32"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("2001:db8::/32")], options.TrustedProxies);
        Assert.Equal(2048, options.MaxProxyHeaderLength);
    }
}
