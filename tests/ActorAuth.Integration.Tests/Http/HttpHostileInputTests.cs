using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using ActorAuth.Security;
using Xunit;

namespace ActorAuth.Integration.Tests.Http;

/// <summary>
/// Bad input to the http listener gets what an HTTP server owes it — 400 for a malformed or oversize Authorization
/// header, 401 for a garbage or replayed token (the reason logged, not echoed), 431 and 408 from Kestrel's limits —
/// each counted by reason, while an honest client is served.
/// </summary>
[Collection(RealmCollection.Name)]
public sealed class HttpHostileInputTests(RealmFixture realm) : IAsyncLifetime
{
    private HttpSite _site = null!;
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false });

    public async Task InitializeAsync() => _site = await HttpSite.StartAsync(realm, ("request-headers-timeout", "1s"));

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _site.DisposeAsync();
    }

    /// <summary>alice's first Negotiate token for HTTP/localhost, and the context that made it (to check the server's answer).</summary>
    private ClientSecurityContext AliceContext(out byte[] token)
    {
        var context = new ClientSecurityContext(new ClientContextOptions
        {
            TargetName = "HTTP/localhost",
            Credential = _site.CredentialOf("alice"),
            RequiredProtectionLevel = ProtectionLevel.None,
        });
        SecurityStatus status = context.Initialize([], out byte[]? first);
        Assert.True(status.Code == SecurityStatusCode.ContinueNeeded && first is not null, status.ToString());
        token = first;
        return context;
    }

    private Task<HttpResponseMessage> GetAsync(string path, string? authorization, bool newConnection = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, _site.Url(path));
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        request.Headers.ConnectionClose = newConnection;
        return _http.SendAsync(request);
    }

    private async Task<string> MetricsAsync()
    {
        using HttpResponseMessage metrics = await GetAsync("/metrics", null);
        return await metrics.Content.ReadAsStringAsync();
    }

    private async Task HonestClientIsServedAsync()
    {
        using ClientSecurityContext context = AliceContext(out byte[] token);
        using HttpResponseMessage response = await GetAsync("/index.html", "Negotiate " + Convert.ToBase64String(token));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}\n{_site.Server.Log}");
        AuthenticationHeaderValue proof = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal(SecurityStatusCode.Completed, context.Initialize(Convert.FromBase64String(proof.Parameter!), out _).Code);
    }

    [Fact]
    public async Task A_token_verifies_the_servers_final_answer_so_the_client_knows_it_reached_the_spns_holder() =>
        await HonestClientIsServedAsync();

    [Theory]
    [InlineData("Negotiate")]
    [InlineData("Negotiate ")]
    [InlineData("Negotiate !!not-base64!!")]
    [InlineData("Negotiate YWJj=YWJj")]
    public async Task A_malformed_negotiate_header_gets_400_and_the_connection_closes(string authorization)
    {
        using HttpResponseMessage response = await GetAsync("/index.html", authorization);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(response.Headers.ConnectionClose, "the connection should close after bad input");
        await HonestClientIsServedAsync();
    }

    [Fact]
    public async Task Two_authorization_headers_get_400()
    {
        using ClientSecurityContext context = AliceContext(out byte[] token);
        var request = new HttpRequestMessage(HttpMethod.Get, _site.Url("/index.html"));
        request.Headers.TryAddWithoutValidation("Authorization", ["Negotiate " + Convert.ToBase64String(token), "Negotiate " + Convert.ToBase64String(token)]);

        using HttpResponseMessage response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_garbage_token_gets_401_with_the_reason_logged_and_not_echoed()
    {
        byte[] garbage = [0x60, 0x20, .. Enumerable.Range(0, 32).Select(i => (byte)(i * 7))];

        using HttpResponseMessage response = await GetAsync("/index.html", "Negotiate " + Convert.ToBase64String(garbage));
        string body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("authentication failed\n", body);
        Assert.True(response.Headers.ConnectionClose);
        Assert.Contains("refused in handshake: invalid-token", _site.Server.Log.ToString(), StringComparison.Ordinal);
        await HonestClientIsServedAsync();
    }

    [Fact]
    public async Task A_replayed_token_is_refused_even_on_a_new_connection()
    {
        using ClientSecurityContext context = AliceContext(out byte[] token);
        string header = "Negotiate " + Convert.ToBase64String(token);

        using HttpResponseMessage first = await GetAsync("/index.html", header, newConnection: true);
        using HttpResponseMessage replay = await GetAsync("/index.html", header, newConnection: true);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.True(replay.StatusCode == HttpStatusCode.Unauthorized, $"{replay.StatusCode}\n{_site.Server.Log}");
        Assert.DoesNotContain("hello, realm", await replay.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Matches("refused in handshake: [a-z-]+ \\(.*(replay|Request is a replay)", _site.Server.Log.ToString());
    }

    [Fact]
    public async Task An_authorization_header_larger_than_max_frame_gets_400_and_a_header_block_over_the_limit_431()
    {
        string big = "Negotiate " + Convert.ToBase64String(new byte[70 * 1024]);
        using HttpResponseMessage oversize = await GetAsync("/index.html", big);
        var huge = new HttpRequestMessage(HttpMethod.Get, _site.Url("/index.html"));
        huge.Headers.TryAddWithoutValidation("X-Padding", new string('a', 200 * 1024));
        using HttpResponseMessage tooLarge = await _http.SendAsync(huge);

        Assert.Equal(HttpStatusCode.BadRequest, oversize.StatusCode);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, tooLarge.StatusCode);
        Assert.Contains("oversize-authorization", _site.Server.Log.ToString(), StringComparison.Ordinal);
        await HonestClientIsServedAsync();
    }

    [Fact]
    public async Task A_client_that_sends_its_headers_slowly_is_cut_off_with_408_and_counted()
    {
        using var slow = new TcpClient();
        await slow.ConnectAsync(IPAddress.Loopback, _site.Server.PortOf("http"));
        NetworkStream stream = slow.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /index.html HTTP/1.1\r\nHost: localhost\r\n"));

        await HonestClientIsServedAsync();
        var answer = new byte[256];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        int read = await stream.ReadAsync(answer, timeout.Token);

        Assert.StartsWith("HTTP/1.1 408", Encoding.ASCII.GetString(answer, 0, read), StringComparison.Ordinal);
        // Kestrel records the refusal when the connection ends, a moment after the 408 is on the wire.
        string exposition = await MetricsAsync();
        for (int attempt = 0; attempt < 50 && !exposition.Contains("reason=\"request-headers-timeout\"", StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(100);
            exposition = await MetricsAsync();
        }

        Assert.Contains("reason=\"request-headers-timeout\"", exposition, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_scheme_gets_the_negotiate_challenge()
    {
        using HttpResponseMessage response = await GetAsync("/index.html", "Basic YWxpY2U6cGFzc3dvcmQ=");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Negotiate", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Fact]
    public async Task Methods_other_than_get_and_head_get_405()
    {
        using HttpResponseMessage response = await _http.PostAsync(_site.Url("/index.html"), new StringContent("x"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }
}
