using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace ActorAuth.Integration.Tests.Http;

/// <summary>
/// What operators get from an http listener: /metrics in Prometheus text whose counters move with the traffic,
/// /healthz and /readyz without authentication, /status.json for the operators the authorization file names only;
/// and .NET's own HttpClient with Negotiate credentials as a client nobody here wrote.
/// </summary>
[Collection(RealmCollection.Name)]
public sealed partial class OperatorEndpointTests(RealmFixture realm) : IAsyncLifetime
{
    private HttpSite _site = null!;
    private readonly HttpClient _anonymous = new(new SocketsHttpHandler { UseProxy = false });

    public async Task InitializeAsync() => _site = await HttpSite.StartAsync(realm);

    public async Task DisposeAsync()
    {
        _anonymous.Dispose();
        await _site.DisposeAsync();
    }

    /// <summary>.NET's HttpClient authenticating as <paramref name="user"/> with its own Negotiate (SocketsHttpHandler, gss-api underneath).</summary>
    private HttpClient DotNetClientAs(string user) => new(new SocketsHttpHandler
    {
        UseProxy = false,
        Credentials = new NetworkCredential(user + "@ACTORAUTH.TEST", _site.CredentialOf(user).Password),
    });

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>[-+]?(\d+(\.\d*)?([eE][-+]?\d+)?|Inf|NaN))( \d+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*$")]
    private static partial Regex CommentLine();

    /// <summary>Parses the exposition format strictly enough to fail on anything a Prometheus scraper would reject; returns sample → value.</summary>
    private static Dictionary<string, double> ParsePrometheus(string text)
    {
        var samples = new Dictionary<string, double>();
        foreach (string line in text.Split('\n').Where(l => l.Length > 0))
        {
            if (line.StartsWith('#'))
            {
                Assert.Matches(CommentLine(), line);
                continue;
            }

            Match sample = SampleLine().Match(line);
            Assert.True(sample.Success, $"not a Prometheus sample line: {line}");
            samples[sample.Groups["name"].Value + "{" + sample.Groups["labels"].Value + "}"] = double.Parse(sample.Groups["value"].Value, CultureInfo.InvariantCulture);
        }

        return samples;
    }

    private async Task<Dictionary<string, double>> ScrapeAsync()
    {
        using HttpResponseMessage response = await _anonymous.GetAsync(_site.Url("/metrics"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return ParsePrometheus(await response.Content.ReadAsStringAsync());
    }

    private static double Value(Dictionary<string, double> samples, string name, string labels) =>
        samples.TryGetValue($"{name}{{{labels}}}", out double v) ? v : 0;

    [Fact]
    public async Task DotNet_httpclient_with_negotiate_credentials_reads_whoami()
    {
        using HttpClient client = DotNetClientAs("alice");

        using HttpResponseMessage response = await client.GetAsync(_site.Url("/whoami"));

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}\n{_site.Server.Log}");
        using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("alice@ACTORAUTH.TEST", json.RootElement.GetProperty("principal").GetString());
    }

    [Fact]
    public async Task Metrics_parse_as_prometheus_text_and_the_counters_move_with_the_traffic()
    {
        Dictionary<string, double> before = await ScrapeAsync();
        using HttpClient alice = DotNetClientAs("alice");
        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage ok = await alice.GetAsync(_site.Url("/index.html"));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using HttpResponseMessage refused = await _anonymous.GetAsync(_site.Url("/index.html"));
        Dictionary<string, double> after = await ScrapeAsync();

        const string succeeded = "actorauth_server_actorauth_handshakes_succeeded";
        const string requests = "actorauth_server_actorauth_http_requests";
        Assert.True(Value(after, succeeded, "listener=\"http\"") - Value(before, succeeded, "listener=\"http\"") >= 3, string.Join('\n', after.Keys));
        Assert.True(Value(after, requests, "listener=\"http\",status=\"200\"") - Value(before, requests, "listener=\"http\",status=\"200\"") >= 3);
        Assert.True(Value(after, requests, "listener=\"http\",status=\"401\"") > Value(before, requests, "listener=\"http\",status=\"401\""));
    }

    [Fact]
    public async Task A_denied_document_is_counted_by_endpoint_never_by_the_path_the_client_chose()
    {
        using HttpClient bob = DotNetClientAs("bob");
        using HttpResponseMessage denied = await bob.GetAsync(_site.Url("/private/alice.html?x=1"));

        Dictionary<string, double> samples = await ScrapeAsync();

        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal(1, Value(samples, "actorauth_server_actorauth_access_denied", "listener=\"http\",operation=\"http-document\""));
        Assert.DoesNotContain(samples.Keys, k => k.Contains("alice.html", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Healthz_and_readyz_answer_without_authentication_once_the_server_is_ready()
    {
        using HttpResponseMessage health = await _anonymous.GetAsync(_site.Url("/healthz"));
        using HttpResponseMessage ready = await _anonymous.GetAsync(_site.Url("/readyz"));

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("ready\n", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Status_json_reports_every_listener_to_an_operator_and_refuses_anyone_else()
    {
        using HttpClient alice = DotNetClientAs("alice");
        using HttpClient bob = DotNetClientAs("bob");

        using HttpResponseMessage forBob = await bob.GetAsync(_site.Url("/status.json"));
        using HttpResponseMessage forAlice = await alice.GetAsync(_site.Url("/status.json"));

        Assert.Equal(HttpStatusCode.Forbidden, forBob.StatusCode);
        Assert.Equal(HttpStatusCode.OK, forAlice.StatusCode);
        Assert.Equal("default-src 'self'", forAlice.Headers.GetValues("Content-Security-Policy").Single());
        using JsonDocument json = JsonDocument.Parse(await forAlice.Content.ReadAsStringAsync());
        Assert.Equal("alice@ACTORAUTH.TEST", json.RootElement.GetProperty("principal").GetString());
        string[] listeners = [.. json.RootElement.GetProperty("listeners").EnumerateArray().Select(l => l.GetProperty("name").GetString()!)];
        Assert.Equal(["sockauth", "http"], listeners);
        JsonElement http = json.RootElement.GetProperty("listeners")[1];
        Assert.True(http.GetProperty("succeeded_total").GetInt64() >= 1);
        Assert.Equal(1, http.GetProperty("contexts").GetInt64()); // this request's own
    }

    [Fact]
    public async Task Every_context_is_disposed_once_the_requests_are_answered()
    {
        using HttpClient alice = DotNetClientAs("alice");
        await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using HttpResponseMessage response = await alice.GetAsync(_site.Url("/index.html"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }));

        Assert.True(await TestServer.EventuallyAsync(() => _site.Server.Metrics.LiveContexts == 0 && _site.Server.Metrics.LiveHandshakes == 0),
            $"contexts {_site.Server.Metrics.LiveContexts}, handshakes {_site.Server.Metrics.LiveHandshakes}");
    }
}
