using System.Buffers;
using System.Net;
using ActorAuth.Client;
using ActorAuth.Protocol;
using ActorAuth.Server;
using Xunit;

namespace ActorAuth.Integration.Tests;

/// <summary>
/// ActorAuth behind a real HAProxy (mode tcp, send-proxy-v2) that it trusts (127.0.0.1), with clients on other loopback
/// addresses (127.0.0.2, 127.0.0.3) so the address the PROXY header carries differs from the proxy's own.
/// </summary>
[Collection(RealmCollection.Name)]
public sealed class ProxyProtocolTests(RealmFixture realm)
{
    private static readonly IPAddress Proxy = IPAddress.Loopback;
    private static readonly IPAddress ClientA = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress ClientB = IPAddress.Parse("127.0.0.3");
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private Task<TestServer> StartTrustingTheProxyAsync(params (string Key, string Value)[] more) =>
        TestServer.StartAsync(realm, [("trusted-proxies:0", Proxy.ToString()), .. more]);

    private static Task<HaProxy> StartHaProxyAsync(TestServer server, string serverOptions = HaProxy.DefaultServerOptions) =>
        HaProxy.StartAsync([new IPEndPoint(IPAddress.Loopback, server.Port)], serverOptions);

    private static Task<AuthenticatedChannel> ConnectThroughAsync(HaProxy haproxy, TestServer server, IPAddress from, string user = "alice") =>
        ActorAuthClient.ConnectAsync("127.0.0.1", haproxy.Port, RealmFixture.ServicePrincipal,
            new ActorAuthClientOptions { Credential = server.CredentialOf(user), LocalAddress = from, HandshakeTimeout = Timeout });

    private static string Diagnose(TestServer server, HaProxy? haproxy) => $"server log:\n{server.Log}\n{haproxy?.Diagnostics()}";

    private static byte[] V2Header(IPEndPoint? source, IPEndPoint? destination)
    {
        var writer = new ArrayBufferWriter<byte>();
        ProxyHeader.WriteV2(writer, source, destination);
        return writer.WrittenSpan.ToArray();
    }

    [Fact]
    public async Task Clients_through_haproxy_authenticate_and_the_server_logs_each_clients_own_address()
    {
        await using TestServer server = await StartTrustingTheProxyAsync();
        await using HaProxy haproxy = await StartHaProxyAsync(server);

        await using (AuthenticatedChannel alice = await ConnectThroughAsync(haproxy, server, ClientA))
        await using (AuthenticatedChannel bob = await ConnectThroughAsync(haproxy, server, ClientB, "bob"))
        {
            Assert.Equal("a", System.Text.Encoding.UTF8.GetString((await alice.RequestAsync("a"u8.ToArray())).Span));
            Assert.Equal("b", System.Text.Encoding.UTF8.GetString((await bob.RequestAsync("b"u8.ToArray())).Span));
        }

        string log = server.Log.ToString();
        Assert.True(server.Log.Lines.Any(l => l.Contains(" 127.0.0.2:", StringComparison.Ordinal) && l.Contains("authenticated alice@", StringComparison.Ordinal)), Diagnose(server, haproxy));
        Assert.True(server.Log.Lines.Any(l => l.Contains(" 127.0.0.3:", StringComparison.Ordinal) && l.Contains("authenticated bob@", StringComparison.Ordinal)), Diagnose(server, haproxy));
        Assert.DoesNotContain(server.Log.Lines, l => l.Contains("authenticated", StringComparison.Ordinal) && l.Contains(" 127.0.0.1:", StringComparison.Ordinal));
        Assert.True(server.Metrics.HandshakesFailed == 0 && server.Metrics.AdmissionsRefused == 0, Diagnose(server, haproxy));
    }

    [Fact]
    public async Task The_per_address_rate_limit_applies_to_each_client_behind_the_proxy_not_to_the_proxy()
    {
        await using TestServer server = await StartTrustingTheProxyAsync(("limits:per-address-rate", "1"), ("limits:per-address-burst", "2"));
        await using HaProxy haproxy = await StartHaProxyAsync(server);

        // Four connections from A at once: its bucket holds two (plus at most one refilled), so at least one is refused.
        var outcomes = new List<bool>();
        for (int i = 0; i < 4; i++)
        {
            try
            {
                await using AuthenticatedChannel channel = await ConnectThroughAsync(haproxy, server, ClientA);
                outcomes.Add(true);
            }
            catch (ActorAuthClientException)
            {
                outcomes.Add(false);
            }
        }

        // B has a bucket of its own, though every connection reaches the server from the proxy's address.
        await using (AuthenticatedChannel b = await ConnectThroughAsync(haproxy, server, ClientB))
        {
            Assert.Equal("b", System.Text.Encoding.UTF8.GetString((await b.RequestAsync("b"u8.ToArray())).Span));
        }

        Assert.True(outcomes.Contains(false), $"A was never limited: {string.Join(",", outcomes)}\n{Diagnose(server, haproxy)}");
        Assert.True(server.Log.Lines.Any(l => l.Contains("connection from 127.0.0.2:", StringComparison.Ordinal) && l.Contains("refused at accept: rate-limit", StringComparison.Ordinal)),
            Diagnose(server, haproxy));
    }

    [Fact]
    public async Task A_proxy_header_from_an_untrusted_address_is_refused_and_counted()
    {
        await using TestServer server = await StartTrustingTheProxyAsync();
        using (RawClient spoofer = await RawClient.ConnectAsync(server.Port, from: ClientA))
        {
            await spoofer.SendAsync(V2Header(new IPEndPoint(IPAddress.Parse("192.0.2.7"), 1234), new IPEndPoint(IPAddress.Loopback, server.Port)));
            await spoofer.ReadUntilClosedAsync(Timeout);
        }

        Assert.True(await TestServer.EventuallyAsync(() => server.Metrics.HandshakesFailedFor(TeardownReason.UntrustedProxy) == 1), Diagnose(server, null));
        Assert.Contains(server.Log.Lines, l => l.Contains(" 127.0.0.2:", StringComparison.Ordinal) && l.Contains("closed in handshake: untrusted-proxy", StringComparison.Ordinal));
        Assert.DoesNotContain(server.Log.Lines, l => l.Contains("192.0.2.7", StringComparison.Ordinal));

        // A client from the same untrusted address without a header is served as ever.
        await using AuthenticatedChannel honest = await ActorAuthClient.ConnectAsync("127.0.0.1", server.Port, RealmFixture.ServicePrincipal,
            new ActorAuthClientOptions { Credential = server.CredentialOf("alice"), LocalAddress = ClientA });
        Assert.Equal("alice@" + realm.Realm.RealmName, honest.ClientPrincipal);
    }

    [Fact]
    public async Task A_trusted_proxy_that_sends_no_header_is_refused_so_its_clients_never_look_like_the_proxy()
    {
        await using TestServer server = await StartTrustingTheProxyAsync();
        await using HaProxy haproxy = await StartHaProxyAsync(server, serverOptions: "");

        await Assert.ThrowsAsync<ActorAuthClientException>(() => ConnectThroughAsync(haproxy, server, ClientA));

        Assert.True(await TestServer.EventuallyAsync(() => server.Metrics.AdmissionsRefused == 1), Diagnose(server, haproxy));
        Assert.Contains(server.Log.Lines, l => l.Contains("refused at accept: proxy-header-missing", StringComparison.Ordinal));
        Assert.Equal(0, server.Metrics.HandshakesSucceeded);
    }

    [Fact]
    public async Task Haproxys_health_checks_with_a_local_header_mark_the_node_up_and_count_as_nothing()
    {
        await using TestServer server = await StartTrustingTheProxyAsync();
        await using HaProxy haproxy = await StartHaProxyAsync(server);

        // Checks run every second: wait for three, then look at what they left.
        Assert.True(await TestServer.EventuallyAsync(() => server.Log.Lines.Count(l => l.Contains("proxy-health-check", StringComparison.Ordinal)) >= 3), Diagnose(server, haproxy));
        string stat = await haproxy.CommandAsync("show stat");

        Assert.Contains("nodes,node1,", stat);
        Assert.Contains(stat.Split('\n'), l => l.StartsWith("nodes,node1,", StringComparison.Ordinal) && l.Contains(",UP,", StringComparison.Ordinal));
        Assert.True(server.Metrics.HandshakesFailed == 0 && server.Metrics.AdmissionsRefused == 0 && server.Metrics.LiveConnections == 0, Diagnose(server, haproxy));
    }

    [Fact]
    public async Task A_local_header_followed_by_bytes_keeps_the_proxys_own_address()
    {
        await using TestServer server = await StartTrustingTheProxyAsync();
        using RawClient proxy = await RawClient.ConnectAsync(server.Port, from: Proxy);

        // LOCAL, then a hostile 4 GiB frame header: refused by the framer, and the log names the proxy itself.
        await proxy.SendAsync([.. V2Header(null, null), 0xFF, 0xFF, 0xFF, 0xFF]);
        await proxy.ReadUntilClosedAsync(Timeout);

        Assert.True(await TestServer.EventuallyAsync(() => server.Log.Lines.Any(l => l.Contains(" 127.0.0.1:", StringComparison.Ordinal) && l.Contains("closed in handshake: frame-too-large", StringComparison.Ordinal))),
            Diagnose(server, null));
        Assert.Equal(0, server.Metrics.AdmissionsRefused);
    }
}
