using ActorAuth.Client;
using ActorAuth.Security;
using Xunit;

namespace ActorAuth.Integration.Tests;

/// <summary>A real client mutually authenticates to the real server against the real KDC.</summary>
[Collection(RealmCollection.Name)]
public sealed class MutualAuthenticationTests(RealmFixture realm)
{
    [Theory]
    [InlineData("Negotiate")]
    [InlineData("Kerberos")]
    public async Task Alice_authenticates_with_mutual_authentication(string package)
    {
        await using TestServer server = await TestServer.StartAsync(realm, ("package", package));

        await using (AuthenticatedChannel channel = await server.ConnectAsync("alice", package))
        {
            Assert.True(channel.IsMutuallyAuthenticated);
            Assert.Equal(RealmFixture.ServicePrincipal, channel.ServerPrincipal);
            Assert.Equal(System.Net.Security.ProtectionLevel.EncryptAndSign, channel.ProtectionLevel);
            Assert.True(channel.Attributes.HasFlag(ContextAttributes.Confidentiality), channel.Attributes.ToString());
            Assert.True(await TestServer.EventuallyAsync(() => server.Metrics.LiveSessions == 1), server.Log.ToString());
        }

        Assert.Contains(server.Log.Lines, line => line.Contains("authenticated alice@ACTORAUTH.TEST", StringComparison.Ordinal));
        Assert.Equal(1, server.Metrics.HandshakesSucceeded);
        Assert.True(await TestServer.EventuallyAsync(() => server.Metrics.LiveContexts == 0), $"live contexts: {server.Metrics.LiveContexts}\n{server.Log}");
    }

    [Fact]
    public async Task Connections_sharing_one_client_credential_each_authenticate_mutually()
    {
        await using TestServer server = await TestServer.StartAsync(realm);
        using ClientCredential bob = ClientCredential.Acquire(new ClientCredentialOptions { Credential = server.CredentialOf("bob") });
        var options = new ActorAuthClientOptions { SharedCredential = bob };

        AuthenticatedChannel[] channels = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            ActorAuthClient.ConnectAsync("127.0.0.1", server.Port, RealmFixture.ServicePrincipal, options)));

        try
        {
            Assert.All(channels, channel => Assert.True(channel.IsMutuallyAuthenticated));
            Assert.All(channels, channel => Assert.Equal("bob@ACTORAUTH.TEST", channel.ClientPrincipal));
            Assert.Equal(8, server.Metrics.HandshakesSucceeded);
        }
        finally
        {
            foreach (AuthenticatedChannel channel in channels)
            {
                await channel.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_shared_credential_together_with_a_password_is_refused_before_connecting()
    {
        using ClientCredential alice = ClientCredential.Acquire(new ClientCredentialOptions { Credential = new System.Net.NetworkCredential("alice", realm.Realm.PasswordOf("alice")) });
        var options = new ActorAuthClientOptions { SharedCredential = alice, Credential = new System.Net.NetworkCredential("bob", "x") };

        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => ActorAuthClient.ConnectAsync("127.0.0.1", 9, RealmFixture.ServicePrincipal, options));

        Assert.Contains("not both", error.Message);
    }

    [Fact]
    public async Task Bob_is_named_as_bob_in_the_servers_log()
    {
        await using TestServer server = await TestServer.StartAsync(realm);

        await using (await server.ConnectAsync("bob"))
        {
            Assert.True(await TestServer.EventuallyAsync(() => server.Log.Lines.Any(l => l.Contains("session started for bob@ACTORAUTH.TEST", StringComparison.Ordinal))), server.Log.ToString());
        }
    }

    [Fact]
    public async Task A_kerberos_client_is_refused_by_a_negotiate_only_server_and_the_server_keeps_serving()
    {
        await using TestServer server = await TestServer.StartAsync(realm, ("package", "Negotiate"));

        // A raw Kerberos AP-REQ is not a SPNEGO token; MIT's SPNEGO acceptor may take it, so only
        // assert the outcome is one of the two clear ones, and that honest clients go on being served.
        try
        {
            await using AuthenticatedChannel raw = await server.ConnectAsync("alice", "Kerberos");
        }
        catch (ActorAuthClientException e)
        {
            Assert.Equal(ClientFailure.ServerRefused, e.Failure);
        }

        await using AuthenticatedChannel honest = await server.ConnectAsync("alice", "Negotiate");
        Assert.True(honest.IsMutuallyAuthenticated);
    }

    [Fact]
    public async Task Two_hundred_clients_authenticating_in_parallel_all_succeed()
    {
        const int clients = 200;
        await using TestServer server = await TestServer.StartAsync(realm);

        AuthenticatedChannel[] channels = await Task.WhenAll(Enumerable.Range(0, clients).Select(i => server.ConnectAsync(i % 2 == 0 ? "alice" : "bob")));
        try
        {
            Assert.All(channels, c => Assert.True(c.IsMutuallyAuthenticated));
            Assert.True(await TestServer.EventuallyAsync(() => server.Metrics.LiveSessions == clients), $"sessions: {server.Metrics.LiveSessions}\n{server.Log}");
            Assert.Equal(clients, server.Metrics.HandshakesSucceeded);
        }
        finally
        {
            await Task.WhenAll(channels.Select(c => c.DisposeAsync().AsTask()));
        }

        Assert.True(await TestServer.EventuallyAsync(() => server.Metrics.LiveContexts == 0 && server.Metrics.LiveConnections == 0),
            $"contexts {server.Metrics.LiveContexts}, connections {server.Metrics.LiveConnections}");
    }
}
