using ActorAuth.Client;
using ActorAuth.Directory;

namespace ActorAuth.Discovery.Tests;

/// <summary>Discovery against the dev realm's directory and one real instance: the client is given the service class and keywords only.</summary>
[Collection(DiscoveryCollection.Name)]
public sealed class DiscoveryTests(DiscoveryFixture fixture)
{
    private ActorAuthClientOptions Alice => new() { Credential = fixture.CredentialOf("alice") };

    [Fact]
    public async Task A_client_finds_the_service_through_its_SCP_alone_and_mutually_authenticates_to_the_composed_SPN()
    {
        string[] keywords = [fixture.ServiceGuid.ToString("D")];

        DiscoveredService found = Assert.Single(await ActorAuthClient.DiscoverAllAsync(fixture.Directory, "actorauth", keywords));
        await using AuthenticatedChannel channel = await ActorAuthClient.ConnectDiscoveredAsync(fixture.Directory, "actorauth", keywords, Alice);

        Assert.Equal(("localhost", fixture.Port), (found.Host, found.Port));
        Assert.Equal($"actorauth/localhost:{fixture.Port}", found.Spn.ToString());
        Assert.Equal(fixture.Spn, channel.ServerPrincipal);
        Assert.Equal((found.Host, found.Port), (channel.Instance!.Host, channel.Instance.Port));
        Assert.Empty(channel.SkippedInstances);
        Assert.True(channel.IsMutuallyAuthenticated);
        Assert.Equal("alice@ACTORAUTH.TEST", channel.ClientPrincipal);
        Assert.Equal("hello", System.Text.Encoding.UTF8.GetString((await channel.RequestAsync("hello"u8.ToArray())).Span));
    }

    [Fact]
    public async Task A_client_refuses_a_server_that_cannot_prove_the_SPN_composed_from_the_SCP()
    {
        // The SCP sends the client to the real server, but names a DNS name whose SPN's keys are in a keytab the
        // server does not read: the KDC issues the ticket, the server cannot decrypt it, mutual authentication fails.
        // Only the form with port exists for that name, so getting as far as the server also shows MIT keeps the port.
        var stranger = new RealmDirectoryBackend(fixture.Realm, "stranger", Path.Combine(fixture.Realm.Directory, "stranger.keytab"));
        string guid = Guid.NewGuid().ToString("D");
        string spn = $"actorauth/stranger.localhost:{fixture.Port}";
        await stranger.RegisterSpnsAsync([ServicePrincipalName.Parse(spn)], CancellationToken.None);
        await stranger.PublishScpAsync(
            new ServiceConnectionPoint([guid], "actorauth", "stranger.localhost", "A", [$"127.0.0.1:{fixture.Port}"]), CancellationToken.None);

        var e = await Assert.ThrowsAsync<ActorAuthClientException>(() => ActorAuthClient.ConnectDiscoveredAsync(fixture.Directory, "actorauth", [guid], Alice));

        Assert.Equal(ClientFailure.ServerRefused, e.Failure);
        Assert.Contains(spn, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_SCP_for_the_class_and_keywords_is_ServiceNotFound_naming_both()
    {
        var e = await Assert.ThrowsAsync<ActorAuthClientException>(() => ActorAuthClient.ConnectDiscoveredAsync(fixture.Directory, "nosuchservice", ["no-such-keyword"], Alice));

        Assert.Equal(ClientFailure.ServiceNotFound, e.Failure);
        Assert.Contains("'nosuchservice'", e.Message, StringComparison.Ordinal);
        Assert.Contains("no-such-keyword", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Several_matching_SCPs_are_the_instances_of_one_service()
    {
        foreach (string host in new[] { "two.localhost", "one.localhost" })
        {
            await fixture.Directory.PublishScpAsync(new ServiceConnectionPoint(["Twin"], "twin", host, "A", [$"{host}:2000"]), CancellationToken.None);
        }

        ServiceInstances found = await ActorAuthClient.DiscoverAllAsync(fixture.Directory, "twin", ["Twin"]);

        Assert.Equal(["twin/one.localhost:2000", "twin/two.localhost:2000"], found.Select(f => f.Spn.ToString()));
    }
}
