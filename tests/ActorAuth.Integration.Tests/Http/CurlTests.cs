using Xunit;

namespace ActorAuth.Integration.Tests.Http;

/// <summary>curl (Debian's, with GSS-API/SPNEGO) against the http listener: RFC 4559 as a client nobody here wrote speaks it.</summary>
[Collection(RealmCollection.Name)]
public sealed class CurlTests(RealmFixture realm) : IAsyncLifetime
{
    private HttpSite _site = null!;

    public async Task InitializeAsync() => _site = await HttpSite.StartAsync(realm);

    public async Task DisposeAsync() => await _site.DisposeAsync();

    private string Diagnose((int ExitCode, string Stdout, string Stderr) curl) =>
        $"curl exit {curl.ExitCode}\n{curl.Stdout}\n{curl.Stderr}\nserver log:\n{_site.Server.Log}";

    private static string StatusLine(string stdout) => stdout.Split("\r\n")[0];

    /// <summary>The final response's header block: with Negotiate, curl prints the 401 first, then the one that counts.</summary>
    private static string LastHeaders(string stdout) => stdout.Split("\r\n\r\n").Reverse().Skip(1).First();

    [Fact]
    public async Task Curl_with_alices_ticket_fetches_a_document_and_the_answer_carries_the_servers_proof()
    {
        var curl = await _site.CurlAsync("alice", _site.Url("/index.html"));

        Assert.True(curl.ExitCode == 0, Diagnose(curl));
        Assert.Contains("hello, realm", curl.Stdout, StringComparison.Ordinal);
        string headers = LastHeaders(curl.Stdout);
        Assert.StartsWith("HTTP/1.1 200", headers, StringComparison.Ordinal);
        // The mutual-authentication token: SPNEGO's accept-completed answer with the AP-REP in it.
        Assert.Matches("(?im)^WWW-Authenticate: Negotiate [A-Za-z0-9+/=]{40,}\r?$", headers);
        Assert.Contains("authenticated alice@ACTORAUTH.TEST", _site.Server.Log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Curl_without_a_ticket_gets_401_with_the_negotiate_challenge()
    {
        var curl = await _site.CurlAsync(null, _site.Url("/index.html"));

        Assert.True(StatusLine(curl.Stdout).StartsWith("HTTP/1.1 401", StringComparison.Ordinal), Diagnose(curl));
        Assert.Contains("WWW-Authenticate: Negotiate\r\n", curl.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("hello, realm", curl.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bob_gets_403_for_a_document_only_alice_may_read_and_never_its_content()
    {
        var bob = await _site.CurlAsync("bob", _site.Url("/private/alice.html"));
        var alice = await _site.CurlAsync("alice", _site.Url("/private/alice.html"));

        Assert.True(LastHeaders(bob.Stdout).StartsWith("HTTP/1.1 403", StringComparison.Ordinal), Diagnose(bob));
        Assert.DoesNotContain(HttpSite.AliceDocument, bob.Stdout, StringComparison.Ordinal);
        Assert.True(LastHeaders(alice.Stdout).StartsWith("HTTP/1.1 200", StringComparison.Ordinal), Diagnose(alice));
        Assert.Contains(HttpSite.AliceDocument, alice.Stdout, StringComparison.Ordinal);
        Assert.Contains("bob@ACTORAUTH.TEST denied /private/alice.html", _site.Server.Log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Whoami_answers_the_authenticated_identity_as_json()
    {
        var curl = await _site.CurlAsync("bob", _site.Url("/whoami"));

        Assert.True(curl.ExitCode == 0, Diagnose(curl));
        Assert.Contains("\"principal\":\"bob@ACTORAUTH.TEST\"", curl.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"package\":\"Kerberos\"", curl.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"mutual_authentication\":true", curl.Stdout, StringComparison.Ordinal);
        Assert.Matches("\"impersonation_level\":\"(Identification|Impersonation|Delegation)\"", curl.Stdout);
    }

    [Theory]
    [InlineData("/../secret.txt")]
    [InlineData("/escape.txt")]
    [InlineData("/%2e%2e/secret.txt")]
    [InlineData("/private/../../secret.txt")]
    public async Task A_path_that_leaves_the_documents_root_is_never_served(string path)
    {
        var curl = await _site.CurlAsync("alice", "--path-as-is", _site.BaseUri.ToString().TrimEnd('/') + path);

        Assert.DoesNotContain("outside the root", curl.Stdout, StringComparison.Ordinal);
        Assert.Matches("HTTP/1.1 (400|403|404)", LastHeaders(curl.Stdout));
    }

    [Fact]
    public async Task A_document_no_rule_grants_answers_403_and_a_missing_one_404()
    {
        var bobMissingGranted = await _site.CurlAsync("bob", _site.Url("/nothing-here.html"));
        var bobUngranted = await _site.CurlAsync("bob", _site.Url("/other.html"));

        Assert.StartsWith("HTTP/1.1 404", LastHeaders(bobMissingGranted.Stdout), StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 403", LastHeaders(bobUngranted.Stdout), StringComparison.Ordinal);
    }
}
