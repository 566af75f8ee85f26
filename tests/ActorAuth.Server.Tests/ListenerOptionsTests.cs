using System.Net.Security;
using ActorAuth.Hocon;
using ActorAuth.Protocol;
using Microsoft.Extensions.Configuration;

namespace ActorAuth.Server.Tests;

public sealed class ListenerOptionsTests
{
    private static IReadOnlyList<ListenerOptions> Read(string hocon) =>
        ListenerOptions.ListFrom(new ConfigurationBuilder().AddHoconString(hocon).Build());

    [Fact]
    public void Without_a_list_the_server_has_one_sockauth_listener_described_by_actorauth_server()
    {
        ListenerOptions only = Assert.Single(Read("actorauth.server { port = 2100, limits.max-connections = 7 }"));

        Assert.Equal(("sockauth", WireDialect.Sockauth, 2100, 7), (only.Name, only.Kind, only.Options.Port, only.Options.MaxConnections));
    }

    [Fact]
    public void An_entry_overrides_the_server_keys_it_names_and_inherits_the_rest()
    {
        IReadOnlyList<ListenerOptions> listeners = Read("""
            actorauth.server { port = 2000, protection-level = encrypt, limits.max-connections = 50, handshake.receive-timeout = 3s }
            actorauth.listeners = [
              { kind = sockauth }
              { kind = gss-sample, port = 2002, protection-level = sign, limits.max-connections = 5 }
            ]
            """);

        Assert.Equal(2, listeners.Count);
        ServerOptions gss = listeners[1].Options;
        Assert.Equal((2002, ProtectionLevel.Sign, 5), (gss.Port, gss.RequiredProtectionLevel, gss.MaxConnections));
        Assert.Equal(TimeSpan.FromSeconds(3), gss.HandshakeReceiveTimeout);
        Assert.Equal((2000, ProtectionLevel.EncryptAndSign), (listeners[0].Options.Port, listeners[0].Options.RequiredProtectionLevel));
    }

    [Fact]
    public void A_listeners_trusted_proxies_replace_the_servers_whole_and_an_empty_list_turns_them_off()
    {
        IReadOnlyList<ListenerOptions> listeners = Read("""
            actorauth.server.trusted-proxies = [ "10.0.0.1", "10.0.0.2" ]
            actorauth.listeners = [
              { kind = sockauth }
              { kind = gss-sample, port = 2002, trusted-proxies = [ "192.0.2.0/24" ] }
              { kind = negotiate-stream, port = 2003, trusted-proxies = [] }
            ]
            """);

        Assert.Equal(2, listeners[0].Options.TrustedProxies.Count);
        Assert.Equal([System.Net.IPNetwork.Parse("192.0.2.0/24")], listeners[1].Options.TrustedProxies);
        Assert.Empty(listeners[2].Options.TrustedProxies);
    }

    [Fact]
    public void A_negotiate_stream_listener_carries_at_most_one_NegotiateStream_frame_per_message()
    {
        IReadOnlyList<ListenerOptions> listeners = Read("actorauth.listeners = [ { kind = negotiate-stream, session.max-message = 1MiB } ]");

        Assert.Equal(NegotiateStreamCodec.MaxWriteDataSize - 1, listeners[0].Options.MaxMessageLength);
    }

    [Theory]
    [InlineData("actorauth.listeners = [ { kind = telnet } ]", "actorauth:listeners:0:kind")]
    [InlineData("actorauth.listeners = [ { kind = sockauth, port = 1 }, { kind = sockauth, port = 2 } ]", "actorauth:listeners:1:name")]
    [InlineData("actorauth.listeners = [ { kind = sockauth, port = 9 }, { kind = gss-sample, port = 9 } ]", "actorauth:listeners:1:port")]
    [InlineData("actorauth.listeners = [ { kind = gss-sample, port = x } ]", "actorauth:listeners:0:port")]
    public void A_bad_entry_is_refused_naming_its_key(string hocon, string key)
    {
        FormatException refused = Assert.Throws<FormatException>(() => Read(hocon));

        Assert.StartsWith(key, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_http_listener_reads_its_http_keys_and_requires_no_protection_level()
    {
        ListenerOptions http = Read("""
            actorauth.listeners = [ { kind = http, port = 8080, http { endpoints = [metrics, health], documents-root = "/srv/www", request-headers-timeout = 2s, max-request-headers = 32KiB } } ]
            """)[0];

        Assert.Equal(WireDialect.Http, http.Kind);
        Assert.Equal(ProtectionLevel.None, http.Options.RequiredProtectionLevel);
        Assert.Equal([Http.HttpEndpoint.Metrics, Http.HttpEndpoint.Health], http.Http!.Endpoints.Order());
        Assert.Equal(("/srv/www", TimeSpan.FromSeconds(2), 32L * 1024), (http.Http.DocumentsRoot, http.Http.RequestHeadersTimeout, http.Http.MaxRequestHeaderBytes));
    }

    [Fact]
    public void An_http_listener_serves_every_endpoint_and_no_documents_by_default()
    {
        Http.HttpSettings http = Read("actorauth.listeners = [ { kind = http } ]")[0].Http!;

        Assert.Equal(Enum.GetValues<Http.HttpEndpoint>(), http.Endpoints.Order());
        Assert.Null(http.DocumentsRoot);
        Assert.Equal(TimeSpan.FromSeconds(10), http.RequestHeadersTimeout);
    }

    [Theory]
    [InlineData("actorauth.listeners = [ { kind = http, http.endpoints = [gopher] } ]", "actorauth:listeners:0:http:endpoints")]
    [InlineData("actorauth.listeners = [ { kind = http, http.keep-alive-timeout = 0s } ]", "actorauth:listeners:0:http:keep-alive-timeout")]
    public void A_bad_http_key_is_refused_naming_it(string hocon, string key)
    {
        FormatException refused = Assert.Throws<FormatException>(() => Read(hocon));

        Assert.StartsWith(key, refused.Message, StringComparison.Ordinal);
    }
}
