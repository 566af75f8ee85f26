using ActorAuth.Client;
using ActorAuth.Directory;
using ActorAuth.Server.Hosting;
using Xunit;

namespace ActorAuth.Integration.Tests;

/// <summary>The server registers its SPNs and publishes its SCP before it accepts a connection.</summary>
[Collection(RealmCollection.Name)]
public sealed class DirectoryStartupTests(RealmFixture realm)
{
    private (string, string)[] RealmDirectory(string serviceClass, string account) =>
    [
        ("actorauth:directory:backend", "realm"),
        ("actorauth:directory:service-class", serviceClass),
        ("actorauth:directory:account", account),
        ("actorauth:directory:service-guid", "0b0c4f5e-8d1a-4c3b-9e2f-7a6b5c4d3e2f"),
        ("actorauth:realm:directory", realm.Realm.Directory),
    ];

    private static string UniqueClass() => "svc" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task The_server_registers_its_spns_and_publishes_its_scp_and_clients_authenticate_to_that_spn()
    {
        string serviceClass = UniqueClass();
        await using TestServer server = await TestServer.StartAsync(realm, [], RealmDirectory(serviceClass, "actorauth"));

        IReadOnlyList<string> principals = await realm.Realm.ListPrincipalsAsync();
        Assert.True(principals.Contains($"{serviceClass}/localhost@ACTORAUTH.TEST"), server.Log.ToString());
        Assert.True(principals.Contains($"{serviceClass}/localhost:{server.Port}@ACTORAUTH.TEST"), server.Log.ToString());
        var directory = new RealmDirectoryBackend(realm.Realm, "reader");
        ServiceConnectionPoint scp = Assert.Single(await directory.FindScpsAsync(serviceClass, ["0b0c4f5e-8d1a-4c3b-9e2f-7a6b5c4d3e2f"], CancellationToken.None));
        Assert.Equal([$"localhost:{server.Port}"], scp.ServiceBindingInformation);

        await using AuthenticatedChannel channel = await server.ConnectAsync(spn: $"{serviceClass}/localhost");

        Assert.True(channel.IsMutuallyAuthenticated);
        Assert.Equal($"{serviceClass}/localhost", channel.Greeting.Service);
    }

    [Fact]
    public async Task A_second_service_registering_an_spn_the_first_holds_refuses_to_start_with_a_clear_message()
    {
        string serviceClass = UniqueClass();
        await using TestServer first = await TestServer.StartAsync(realm, [], RealmDirectory(serviceClass, "first-account"));

        var e = await Assert.ThrowsAsync<ServerStartupException>(() => TestServer.StartAsync(realm, [], RealmDirectory(serviceClass, "second-account")));

        Assert.Contains($"{serviceClass}/localhost", e.Message, StringComparison.Ordinal);
        Assert.Contains("first-account", e.Message, StringComparison.Ordinal);
        await using AuthenticatedChannel channel = await first.ConnectAsync(spn: $"{serviceClass}/localhost");
        Assert.True(channel.IsMutuallyAuthenticated);
    }

    private static (string, string)[] UnreachableLdap(string required) =>
    [
        ("actorauth:directory:backend", "ldap"),
        ("actorauth:directory:required", required),
        ("actorauth:directory:deadline", "1500ms"),
        ("actorauth:directory:service-guid", "0b0c4f5e-8d1a-4c3b-9e2f-7a6b5c4d3e2f"),
        ("actorauth:directory:ldap:port", "1"),
        ("actorauth:directory:ldap:base-dn", "DC=nowhere,DC=test"),
        ("actorauth:directory:ldap:bind", "simple"),
        ("actorauth:directory:ldap:user", "nobody"),
        ("actorauth:directory:ldap:password-file", "/dev/null"),
        ("actorauth:directory:ldap:timeout", "500ms"),
    ];

    [Fact]
    public async Task With_the_directory_down_and_required_the_server_retries_then_refuses_to_start()
    {
        var e = await Assert.ThrowsAsync<ServerStartupException>(() => TestServer.StartAsync(realm, [], UnreachableLdap("on")));

        Assert.Contains("unreachable", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task With_the_directory_down_and_not_required_the_server_serves_with_what_it_has()
    {
        await using TestServer server = await TestServer.StartAsync(realm, [], UnreachableLdap("off"));

        await using AuthenticatedChannel channel = await server.ConnectAsync();

        Assert.True(channel.IsMutuallyAuthenticated);
        Assert.Contains(server.Log.Lines, l => l.Contains("retry", StringComparison.OrdinalIgnoreCase) || l.Contains("attempt", StringComparison.OrdinalIgnoreCase));
    }
}
