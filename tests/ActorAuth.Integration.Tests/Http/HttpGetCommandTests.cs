using Xunit;

namespace ActorAuth.Integration.Tests.Http;

/// <summary><c>actorauth http get</c> (the seed's httpget) against ActorAuth's own http listener, as a separate process.</summary>
[Collection(RealmCollection.Name)]
public sealed class HttpGetCommandTests(RealmFixture realm) : IAsyncLifetime
{
    private HttpSite _site = null!;

    public async Task InitializeAsync() => _site = await HttpSite.StartAsync(realm);

    public async Task DisposeAsync() => await _site.DisposeAsync();

    private async Task<(int ExitCode, string Stdout, string Stderr)> HttpGetAsync(string user, string path) =>
        await ChildProcess.RunAsync("dotnet", await _site.EnvironmentOfAsync(user), ChildProcess.Cli, "http", "get", _site.Url(path));

    [Fact]
    public async Task Http_get_as_alice_prints_the_document_and_that_the_server_proved_itself()
    {
        var get = await HttpGetAsync("alice", "/private/alice.html");

        Assert.True(get.ExitCode == 0, $"exit {get.ExitCode}\n{get.Stdout}\n{get.Stderr}\n{_site.Server.Log}");
        Assert.Contains(HttpSite.AliceDocument, get.Stdout, StringComparison.Ordinal);
        Assert.Contains("mutual authentication: yes", get.Stderr, StringComparison.Ordinal);
        Assert.Contains("HTTP/localhost", get.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_get_as_bob_for_alices_document_exits_1_naming_403()
    {
        var get = await HttpGetAsync("bob", "/private/alice.html");

        Assert.Equal(1, get.ExitCode);
        Assert.Contains("403", get.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(HttpSite.AliceDocument, get.Stdout, StringComparison.Ordinal);
    }
}
