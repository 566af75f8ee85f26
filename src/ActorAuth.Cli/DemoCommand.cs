using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Security.Principal;
using System.Text;
using ActorAuth.Client;
using ActorAuth.Client.Http;
using ActorAuth.Server;
using ActorAuth.DevRealm;
using ActorAuth.Server.Hosting;
using ActorAuth.Server.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using DevRealmInstance = ActorAuth.DevRealm.DevRealm;

namespace ActorAuth.Cli;

/// <summary>
/// <c>actorauth demo</c>: brings the dev realm up if needed, runs the server in-process on a free loopback
/// port, authenticates alice to it on each package with mutual authentication, then shows delegation (the seed's
/// C → C/S1 → C/S2): a second in-process server S2, and alice asking S1 to forward-whoami to S2 as her. Prints a
/// summary and stops.
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
        var realmSettings = new Dictionary<string, string?>
        {
            ["actorauth:server:port"] = "0",
            ["actorauth:server:host"] = "127.0.0.1",
            ["actorauth:kerberos:config"] = realm.Krb5ConfigPath,
            ["actorauth:kerberos:kdc-profile"] = realm.KdcProfilePath,
            ["actorauth:kerberos:keytab"] = "FILE:" + realm.KeytabPath,
            ["actorauth:kerberos:ccache"] = realm.CredentialCachePath,
        };
        (IHost s2Host, ActorAuthServer s2) = await StartAsync(configFile, realmSettings, cancellationToken);
        using IHost s2Lifetime = s2Host;
        (IHost host, ActorAuthServer server) = await StartAsync(configFile, new Dictionary<string, string?>(realmSettings)
        {
            [$"{DelegationSettings.Section}:targets:0"] = $"127.0.0.1:{s2.EndPoint.Port}",
            [$"{ListenerOptions.Section}:0:kind"] = "sockauth",
            [$"{ListenerOptions.Section}:1:kind"] = "http",
            [$"{ListenerOptions.Section}:1:port"] = "0",
            // The sample documents when run from the source tree (scripts/demo.sh); /whoami needs none.
            [$"{ListenerOptions.Section}:1:http:documents-root"] = System.IO.Directory.Exists(Path.Combine("config", "www")) ? Path.GetFullPath(Path.Combine("config", "www")) : "",
        }, cancellationToken);
        using IHost lifetime = host;
        int httpPort = server.EndPointOf("http").Port;
        Console.WriteLine($"server: listening on {server.EndPoint} and http://localhost:{httpPort}/; a second server (S2) on {s2.EndPoint}");

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
                $"echo \"{Encoding.UTF8.GetString(echoed.Span)}\"; {watch.Elapsed.TotalMilliseconds:0} ms");
        }

        await using (AuthenticatedChannel delegating = await ActorAuthClient.ConnectAsync("127.0.0.1", server.EndPoint.Port, spn,
            new ActorAuthClientOptions { Credential = credential, ImpersonationLevel = TokenImpersonationLevel.Delegation }, cancellationToken))
        {
            ReadOnlyMemory<byte> seen = await delegating.RequestAsync(
                Encoding.UTF8.GetBytes($"127.0.0.1:{s2.EndPoint.Port} {spn}"), ForwardWhoAmIHandler.Name, cancellationToken);
            Console.WriteLine($"delegation: {delegating.ClientPrincipal} granted {delegating.Greeting.Impersonation}; S1 reached S2 as her, and S2 saw \"{Encoding.UTF8.GetString(seen.Span)}\"");
        }

        // The seed's httpauth: a document over HTTP Negotiate (RFC 4559), the server's proof checked by the client.
        using (HttpClient http = ActorAuthClient.CreateHttpClient(new NegotiateHttpOptions { Credential = credential }))
        {
            var watch = Stopwatch.StartNew();
            using HttpResponseMessage whoami = await http.GetAsync($"http://localhost:{httpPort}/whoami", cancellationToken);
            NegotiateHttpAuthentication? proof = whoami.GetNegotiateAuthentication();
            Console.WriteLine($"http: GET /whoami -> {(int)whoami.StatusCode} {await whoami.Content.ReadAsStringAsync(cancellationToken)}; " +
                $"server {proof?.ServerPrincipal} proven: {(proof?.IsMutuallyAuthenticated == true ? "yes" : "no")}; {watch.Elapsed.TotalMilliseconds:0} ms");
            if (!whoami.IsSuccessStatusCode)
            {
                return 1;
            }
        }

        await host.StopAsync(cancellationToken);
        await s2Host.StopAsync(cancellationToken);
        long failed = server.Metrics.HandshakesFailed + s2.Metrics.HandshakesFailed;
        long open = server.Metrics.LiveContexts + s2.Metrics.LiveContexts + server.Metrics.LiveDelegatedCredentials;
        Console.WriteLine($"summary: {server.Metrics.HandshakesSucceeded + s2.Metrics.HandshakesSucceeded} handshakes succeeded, {failed} failed, " +
            $"{open} security contexts and delegated credentials left open");
        return failed == 0 && open == 0 ? 0 : 1;
    }

    private static async Task<(IHost Host, ActorAuthServer Server)> StartAsync(string configFile, Dictionary<string, string?> overrides, CancellationToken cancellationToken)
    {
        IHost host = ServerHost.Build(ActorAuthConfiguration.Load(configFile, overrides));
        await ServerHost.StartAsync(host, cancellationToken);
        return (host, host.Services.GetRequiredService<ActorAuthServer>());
    }
}
