using System.Net;

namespace ActorAuth.Integration.Tests.Http;

/// <summary>
/// The real server with a sockauth listener and an http one on free loopback ports, serving a documents root that
/// holds a page for the realm (<c>/index.html</c>), one only alice may read (<c>/private/alice.html</c>), and a
/// symlink and a sibling file that lie outside it; the authorization file's documents rules and operators say so.
/// Clients that are other processes (curl, chromium) get a ticket cache of their own per user.
/// </summary>
public sealed class HttpSite : IAsyncDisposable
{
    /// <summary>The body of the alice-only document.</summary>
    public const string AliceDocument = "only alice may read this";

    private readonly RealmFixture _realm;
    private readonly string _work;

    private HttpSite(RealmFixture realm, string work, TestServer server)
    {
        _realm = realm;
        _work = work;
        Server = server;
        BaseUri = new Uri($"http://localhost:{server.PortOf("http")}/");
    }

    /// <summary>The running server.</summary>
    public TestServer Server { get; }

    /// <summary><c>http://localhost:port/</c> — localhost, so that clients ask for HTTP/localhost.</summary>
    public Uri BaseUri { get; }

    /// <summary>The absolute URL of <paramref name="path"/>.</summary>
    public string Url(string path) => new Uri(BaseUri, path).ToString();

    /// <summary>Starts a site; <paramref name="httpSettings"/> are the http listener's <c>http.*</c> keys (e.g. <c>("request-headers-timeout", "1s")</c>).</summary>
    public static async Task<HttpSite> StartAsync(RealmFixture realm, params (string Key, string Value)[] httpSettings)
    {
        string work = System.IO.Directory.CreateTempSubdirectory("actorauth-http-").FullName;
        string root = Path.Combine(work, "www");
        System.IO.Directory.CreateDirectory(Path.Combine(root, "private"));
        File.WriteAllText(Path.Combine(root, "index.html"), "<!doctype html><title>ActorAuth test</title><h1>hello, realm</h1>");
        File.WriteAllText(Path.Combine(root, "private", "alice.html"), $"<!doctype html><title>alice</title><p>{AliceDocument}</p>");
        File.WriteAllText(Path.Combine(work, "secret.txt"), "outside the root");
        File.CreateSymbolicLink(Path.Combine(root, "escape.txt"), Path.Combine(work, "secret.txt"));
        string rules = Path.Combine(work, "authorization.conf");
        File.WriteAllText(rules, """
            rules = [ { principals = ["*"], operations = ["*"] } ]
            documents = [
              { principals = ["alice@ACTORAUTH.TEST"], paths = ["/"] }
              { principals = ["*@ACTORAUTH.TEST"], paths = ["/index.html", "/escape.txt", "/nothing-here.html"] }
            ]
            operators = ["alice@ACTORAUTH.TEST"]
            """);
        (string, string)[] settings =
        [
            ("actorauth:listeners:0:kind", "sockauth"),
            ("actorauth:listeners:1:kind", "http"),
            ("actorauth:listeners:1:http:documents-root", root),
            ("actorauth:authorization:file", rules),
            .. httpSettings.Select(s => ($"actorauth:listeners:1:http:{s.Key}", s.Value)),
        ];
        TestServer server = await TestServer.StartAsync(realm, [], settings);
        return new HttpSite(realm, work, server);
    }

    /// <summary>The environment of a child process that is <paramref name="user"/> (its own ticket cache), or has no ticket at all (null).</summary>
    public async Task<Dictionary<string, string>> EnvironmentOfAsync(string? user)
    {
        var environment = new Dictionary<string, string>(_realm.Realm.Environment);
        string cache = "FILE:" + Path.Combine(_work, $"ccache-{user ?? "none"}");
        if (user is not null)
        {
            await _realm.Realm.KinitAsync(user, cache);
        }

        environment["KRB5CCNAME"] = cache;
        return environment;
    }

    /// <summary>Runs curl as <paramref name="user"/> with Negotiate (<c>--negotiate -u :</c>), headers included in stdout (<c>-i</c>).</summary>
    public async Task<(int ExitCode, string Stdout, string Stderr)> CurlAsync(string? user, params string[] arguments) =>
        await ChildProcess.RunAsync("curl", await EnvironmentOfAsync(user), ["--silent", "--show-error", "--include", "--negotiate", "--user", ":", .. arguments]);

    /// <summary>The password credential of <paramref name="user"/>.</summary>
    public NetworkCredential CredentialOf(string user) => Server.CredentialOf(user);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        System.IO.Directory.Delete(_work, recursive: true);
    }
}
