using System.Text;
using ActorAuth.Client;
using Xunit;

namespace ActorAuth.Integration.Tests;

/// <summary>The authorization file decides who may invoke which operation, before a request reaches a handler.</summary>
[Collection(RealmCollection.Name)]
public sealed class AccessCheckTests(RealmFixture realm) : IDisposable
{
    private readonly string _rules = WriteRules("""
        rules = [
          { principals = ["alice@ACTORAUTH.TEST"], operations = [echo, whoami] }
          { principals = ["*@ACTORAUTH.TEST"], operations = [whoami] }
        ]
        """);

    private static string WriteRules(string hocon)
    {
        string path = Path.Combine(Path.GetTempPath(), $"actorauth-rules-{Guid.NewGuid():N}.conf");
        File.WriteAllText(path, hocon);
        return path;
    }

    private Task<TestServer> StartAsync() =>
        TestServer.StartAsync(realm, [], ("actorauth:authorization:file", _rules));

    [Fact]
    public async Task Alice_may_invoke_an_operation_only_she_holds()
    {
        await using TestServer server = await StartAsync();
        await using AuthenticatedChannel alice = await server.ConnectAsync("alice");

        ReadOnlyMemory<byte> reply = await alice.RequestAsync("hi"u8.ToArray(), "echo");

        Assert.Equal("hi", Encoding.UTF8.GetString(reply.Span));
        Assert.Equal(["echo", "whoami"], alice.Greeting.Operations);
    }

    [Fact]
    public async Task Bob_is_refused_that_operation_and_keeps_his_session()
    {
        await using TestServer server = await StartAsync();
        await using AuthenticatedChannel bob = await server.ConnectAsync("bob");

        var e = await Assert.ThrowsAsync<ActorAuthClientException>(() => bob.RequestAsync("hi"u8.ToArray(), "echo"));

        Assert.Equal(ClientFailure.AccessDenied, e.Failure);
        Assert.Contains("bob@ACTORAUTH.TEST may not invoke 'echo'", e.Message, StringComparison.Ordinal);
        Assert.Equal(["whoami"], bob.Greeting.Operations);
        Assert.Equal("bob@ACTORAUTH.TEST", Encoding.UTF8.GetString((await bob.RequestAsync(Array.Empty<byte>(), "whoami")).Span));
        Assert.Equal(1, server.Metrics.AccessDenied);
    }

    [Fact]
    public async Task An_unknown_operation_is_answered_as_such()
    {
        await using TestServer server = await StartAsync();
        await using AuthenticatedChannel alice = await server.ConnectAsync("alice");

        var e = await Assert.ThrowsAsync<ActorAuthClientException>(() => alice.RequestAsync("x"u8.ToArray(), "format-disk"));

        Assert.Equal(ClientFailure.UnknownOperation, e.Failure);
    }

    public void Dispose() => File.Delete(_rules);
}
