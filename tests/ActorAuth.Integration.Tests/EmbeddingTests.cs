using System.Text;
using ActorAuth.Client;
using ActorAuth.Examples.Ledger;
using ActorAuth.Server.Hosting;
using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace ActorAuth.Integration.Tests;

/// <summary>The example back end embeds ActorAuth with its own handlers and serves authenticated requests.</summary>
[Collection(RealmCollection.Name)]
public sealed class EmbeddingTests(RealmFixture realm)
{
    private static async Task<(IHost Host, int Port)> StartLedgerAsync()
    {
        IHost host = LedgerBackend.Build(new Dictionary<string, string?> { ["actorauth:server:port"] = "0", ["actorauth:logging:level"] = "Warning" });
        await host.StartAsync();
        return (host, ActorAuthExtension.Get(host.Services.GetRequiredService<ActorSystem>()).Server.EndPoint.Port);
    }

    private Task<AuthenticatedChannel> ConnectAsync(int port, string user) =>
        ActorAuthClient.ConnectAsync("127.0.0.1", port, RealmFixture.ServicePrincipal,
            new ActorAuthClientOptions { Credential = new(user, realm.Realm.PasswordOf(user)) });

    [Fact]
    public async Task The_embedded_ledger_serves_an_authenticated_deposit_and_balance()
    {
        (IHost host, int port) = await StartLedgerAsync();
        using (host)
        {
            await using (AuthenticatedChannel alice = await ConnectAsync(port, "alice"))
            {
                Assert.Equal(["balance", "deposit"], alice.Greeting.Operations);
                Assert.Equal("25", Encoding.UTF8.GetString((await alice.RequestAsync("25"u8.ToArray(), "deposit")).Span));
                Assert.Equal("25", Encoding.UTF8.GetString((await alice.RequestAsync(Array.Empty<byte>())).Span));
            }

            await host.StopAsync();
        }
    }

    [Fact]
    public async Task The_ledger_refuses_bob_a_deposit_by_its_own_authorization_file()
    {
        (IHost host, int port) = await StartLedgerAsync();
        using (host)
        {
            await using (AuthenticatedChannel bob = await ConnectAsync(port, "bob"))
            {
                var e = await Assert.ThrowsAsync<ActorAuthClientException>(() => bob.RequestAsync("1000"u8.ToArray(), "deposit"));
                Assert.Equal(ClientFailure.AccessDenied, e.Failure);
                Assert.Equal("0", Encoding.UTF8.GetString((await bob.RequestAsync(Array.Empty<byte>(), "balance")).Span));
            }

            await host.StopAsync();
        }
    }

    [Fact]
    public async Task A_handler_that_throws_fails_only_that_request()
    {
        (IHost host, int port) = await StartLedgerAsync();
        using (host)
        {
            await using (AuthenticatedChannel alice = await ConnectAsync(port, "alice"))
            {
                var e = await Assert.ThrowsAsync<ActorAuthClientException>(() => alice.RequestAsync("not a number"u8.ToArray(), "deposit"));
                Assert.Equal(ClientFailure.OperationFailed, e.Failure);
                Assert.Equal("0", Encoding.UTF8.GetString((await alice.RequestAsync(Array.Empty<byte>(), "balance")).Span));
            }

            await host.StopAsync();
        }
    }
}
