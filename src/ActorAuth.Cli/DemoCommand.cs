using System.CommandLine;
using System.Diagnostics;
using System.Net;
using ActorAuth.Client;
using ActorAuth.DevRealm;
using ActorAuth.Server.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using DevRealmInstance = ActorAuth.DevRealm.DevRealm;

namespace ActorAuth.Cli;

/// <summary>
/// <c>actorauth demo</c>: brings the dev realm up if needed, runs the server in-process on a free loopback
/// port, authenticates alice to it on each package with mutual authentication, prints a summary, stops.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        Option<string> config = CliOptions.Config();
        var command = new Command("demo", "Realm up if needed, server in-process, alice authenticating on Negotiate and Kerberos, a summary.") { config };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                return await RunAsync(parse.GetValue(config)!, cancellationToken);
            }
            catch (Exception e) when (e is DevRealmException or ActorAuthClientException)
            {
                await Console.Error.WriteLineAsync($"actorauth demo: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(string configFile, CancellationToken cancellationToken)
    {
        string realmDirectory = ActorAuthConfiguration.RealmDirectory(ActorAuthConfiguration.Load(configFile));
        DevRealmInstance realm = await DevRealmInstance.UpAsync(new RealmOptions(realmDirectory), cancellationToken);
        Console.WriteLine($"realm: {realm.RealmName}, KDC on 127.0.0.1:{realm.KdcPort}, service keytab {realm.KeytabPath}");

        // The demo owns its realm, so its paths win over anything exported or configured.
        IConfigurationRoot configuration = ActorAuthConfiguration.Load(configFile, new Dictionary<string, string?>
        {
            ["actorauth:server:port"] = "0",
            ["actorauth:server:host"] = "127.0.0.1",
            ["actorauth:kerberos:config"] = realm.Krb5ConfigPath,
            ["actorauth:kerberos:kdc-profile"] = realm.KdcProfilePath,
            ["actorauth:kerberos:keytab"] = "FILE:" + realm.KeytabPath,
            ["actorauth:kerberos:ccache"] = realm.CredentialCachePath,
        });
        using IHost host = ServerHost.Build(configuration);
        await ServerHost.StartAsync(host, cancellationToken);
        ActorAuthServer server = host.Services.GetRequiredService<ActorAuthServer>();
        Console.WriteLine($"server: listening on {server.EndPoint}");

        const string spn = "actorauth/localhost";
        var credential = new NetworkCredential("alice", realm.PasswordOf("alice"));
        foreach (string package in new[] { "Negotiate", "Kerberos" })
        {
            var watch = Stopwatch.StartNew();
            await using AuthenticatedChannel channel = await ActorAuthClient.ConnectAsync(
                "127.0.0.1", server.EndPoint.Port, spn, new ActorAuthClientOptions { Package = package, Credential = credential }, cancellationToken);
            ReadOnlyMemory<byte> echoed = await channel.RequestAsync("hello, actors"u8.ToArray(), cancellationToken: cancellationToken);
            Console.WriteLine($"client: {channel.ClientPrincipal} -> {channel.ServerPrincipal} via {package} (package in use: {channel.Package}): " +
                $"mutual authentication {(channel.IsMutuallyAuthenticated ? "yes" : "no")}, protection {channel.Greeting.Protection}, " +
                $"echo \"{System.Text.Encoding.UTF8.GetString(echoed.Span)}\"; {watch.Elapsed.TotalMilliseconds:0} ms");
        }

        await host.StopAsync(cancellationToken);
        Console.WriteLine($"summary: {server.Metrics.HandshakesSucceeded} handshakes succeeded, {server.Metrics.HandshakesFailed} failed, " +
            $"{server.Metrics.LiveContexts} security contexts left open");
        return server.Metrics.HandshakesFailed == 0 && server.Metrics.LiveContexts == 0 ? 0 : 1;
    }
}
