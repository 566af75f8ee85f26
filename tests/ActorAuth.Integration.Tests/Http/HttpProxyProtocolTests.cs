using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ActorAuth.Client.Http;
using ActorAuth.Protocol;
using Xunit;

namespace ActorAuth.Integration.Tests.Http;

/// <summary>An http listener behind a real HAProxy (mode tcp, send-proxy-v2) it trusts: Kestrel sees the client's address.</summary>
[Collection(RealmCollection.Name)]
public sealed class HttpProxyProtocolTests(RealmFixture realm)
{
    private static readonly IPAddress Client = IPAddress.Parse("127.0.0.2");

    private Task<TestServer> StartAsync() => TestServer.StartAsync(realm, [],
        ("actorauth:listeners:0:kind", "sockauth"),
        ("actorauth:listeners:1:kind", "http"),
        ("actorauth:listeners:1:trusted-proxies:0", "127.0.0.1"));

    /// <summary>An HttpClient that authenticates as alice and connects from <see cref="Client"/> to 127.0.0.1 whatever the URL's host.</summary>
    private HttpClient AliceFromClientAddress(TestServer server) => new(new NegotiateHttpHandler(
        new NegotiateHttpOptions { Credential = server.CredentialOf("alice") },
        new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                socket.Bind(new IPEndPoint(Client, 0));
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        }));

    [Fact]
    public async Task A_client_through_haproxy_authenticates_over_http_and_the_server_logs_its_own_address()
    {
        await using TestServer server = await StartAsync();
        await using HaProxy haproxy = await HaProxy.StartAsync([new IPEndPoint(IPAddress.Loopback, server.PortOf("http"))]);
        using HttpClient http = AliceFromClientAddress(server);

        using HttpResponseMessage response = await http.GetAsync($"http://localhost:{haproxy.Port}/whoami");

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}\n{server.Log}\n{haproxy.Diagnostics()}");
        Assert.True(server.Log.Lines.Any(l => l.Contains(" 127.0.0.2:", StringComparison.Ordinal) && l.Contains("authenticated alice@", StringComparison.Ordinal)),
            $"{server.Log}\n{haproxy.Diagnostics()}");
    }

    [Fact]
    public async Task A_proxy_header_from_an_untrusted_address_is_refused_at_the_http_listener_and_counted()
    {
        await using TestServer server = await StartAsync();
        var writer = new ArrayBufferWriter<byte>();
        ProxyHeader.WriteV2(writer, new IPEndPoint(IPAddress.Parse("192.0.2.7"), 1234), new IPEndPoint(IPAddress.Loopback, 80));
        using RawClient spoofer = await RawClient.ConnectAsync(server.PortOf("http"), from: Client);

        await spoofer.SendAsync([.. writer.WrittenSpan, .. "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n"u8]);
        byte[] answer = await spoofer.ReadUntilClosedAsync(TimeSpan.FromSeconds(10));

        Assert.True(answer.Length == 0, "answered: " + Encoding.ASCII.GetString(answer));
        Assert.True(await TestServer.EventuallyAsync(() => server.Log.Lines.Any(l => l.Contains("connection from 127.0.0.2:", StringComparison.Ordinal) && l.Contains("refused at accept: untrusted-proxy", StringComparison.Ordinal))),
            server.Log.ToString());
        Assert.Equal(1, server.Metrics.AdmissionsRefused);
    }
}
