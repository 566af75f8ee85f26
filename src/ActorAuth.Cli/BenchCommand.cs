using System.CommandLine;
using System.DirectoryServices.Protocols;
using System.Net;
using ActorAuth.Bench;
using ActorAuth.Client;
using ActorAuth.Directory;
using ActorAuth.Security;
using ActorAuth.Server.Hosting;
using Microsoft.Extensions.Configuration;

namespace ActorAuth.Cli;

/// <summary>
/// <c>actorauth bench</c>: a load generator for an ActorAuth server — C concurrent clients, each looping
/// connect → mutual authentication → protected echo → close (or, with <c>--hold</c>, keeping its sessions
/// open), in any wire dialect (<c>--dialect</c>, <c>--stock</c> for a stock server), with latency percentiles, handshakes/s, errors by reason and client CPU per handshake.
/// With <c>--discover</c>, the service's instances come from its SCPs in the directory and the sessions are spread over
/// them (round-robin from a random first instance, failing over), with a line per instance after the report.
/// With <c>--http URL</c>, an HTTP Negotiate server instead: each "handshake" is one mutually authenticated GET with a new context.
/// Exit 0 only if no handshake failed (unless <c>--allow-errors</c>); 2 for bad options.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var host = new Option<string>("--host") { Description = "Server address.", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Server TCP port.", DefaultValueFactory = _ => 2000 };
        var spn = new Option<string>("--spn") { Description = "Service principal name the server must prove.", DefaultValueFactory = _ => "actorauth/localhost" };
        Option<string> package = CliOptions.Package();
        var connections = new Option<int>("--connections", "-c") { Description = "Concurrent clients (worker loops; with --hold, sessions to hold).", DefaultValueFactory = _ => 64 };
        var handshakes = new Option<long?>("--handshakes", "-n") { Description = "Handshakes in all (default 1000 unless --duration is given)." };
        var duration = new Option<string?>("--duration", "-d") { Description = "Run for this long instead (e.g. 30s); with --handshakes, whichever ends first." };
        var warmup = new Option<long>("--warmup") { Description = "Handshakes (requests) run first and left out of every figure: JIT and both ends warm before the timed run.", DefaultValueFactory = _ => 0 };
        var ramp = new Option<string>("--ramp") { Description = "Start the clients over this long (e.g. 5s).", DefaultValueFactory = _ => "0s" };
        var messageSize = new Option<int>("--message-size") { Description = "Bytes per protected request (echoed).", DefaultValueFactory = _ => 64 };
        var messages = new Option<int>("--messages-per-session") { Description = "Protected round trips per session.", DefaultValueFactory = _ => 1 };
        var users = new Option<string?>("--users") { Description = "Comma-separated users to spread the load over (default alice); passwords from <realm dir>/<user>.password." };
        var ccache = new Option<bool>("--ccache") { Description = "Use the ticket cache (KRB5CCNAME, e.g. after kinit) instead of --users." };
        var perConnection = new Option<bool>("--credential-per-connection") { Description = "With --ccache: each connection acquires its own credential (MIT rereads the ticket cache), instead of sharing one ClientCredential." };
        Option<string> realmDir = CliOptions.RealmDirectory();
        var sources = new Option<string?>("--source-addresses") { Description = "Comma-separated local addresses to bind client sockets to in turn (e.g. 127.0.0.1,127.0.0.2): ~28k ports each." };
        var hold = new Option<string?>("--hold") { Description = "Hold mode: open --connections sessions, keep them this long (e.g. 60s), then a protected round trip on each." };
        var openers = new Option<int>("--openers") { Description = "Hold mode: loops opening the sessions.", DefaultValueFactory = _ => 256 };
        var serverPid = new Option<int?>("--server-pid") { Description = "Server process to sample (CPU per handshake, resident memory)." };
        var peerPids = new Option<int[]>("--peer-pid") { Description = "Another process of the service to sample over the same interval (e.g. a cluster's other nodes); repeatable." };
        var allowErrors = new Option<bool>("--allow-errors") { Description = "Exit 0 even if handshakes failed." };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the report as JSON to this file." };
        var http = new Option<string?>("--http") { Description = "Bench an HTTP Negotiate server instead (RFC 4559): authenticated GETs of this URL (e.g. http://localhost:8080/index.html), each with a new context; --spn defaults to HTTP/<host>." };
        var preemptive = new Option<bool>("--preemptive") { Description = "With --http: send the token with the first request (no 401 round trip)." };
        Option<string> config = CliOptions.Config();
        Option<string> dialect = ClientCommand.DialectOption();
        Option<bool> stock = ClientCommand.StockOption();
        var discover = new Option<bool>("--discover") { Description = "Find the instances (host, port, SPN) through the service's SCPs in the directory (--backend …) and spread the sessions over them, instead of --host/--port/--spn." };
        var serviceClass = new Option<string>("--service-class") { Description = "With --discover: the service class to look up.", DefaultValueFactory = _ => "actorauth" };
        var keywords = new Option<string[]>("--keywords") { Description = "With --discover: keywords the SCPs must carry (the service's GUID).", AllowMultipleArgumentsPerToken = true };
        var command = new Command("bench", "Load-test a server: concurrent handshakes, latency percentiles, handshakes/s, errors by reason, CPU per handshake.")
        {
            host, port, spn, package, connections, handshakes, warmup, duration, ramp, messageSize, messages, users, ccache, perConnection, realmDir,
            sources, hold, openers, serverPid, peerPids, allowErrors, json, config, dialect, stock, http, preemptive, discover, serviceClass, keywords,
        };
        var directory = new DirectoryCliOptions(command, config);
        command.SetAction(async (parse, cancellationToken) =>
        {
            LoadOptions options;
            ClientDialect wire;
            IPEndPoint server;
            List<IPAddress> sourceList;
            Uri? httpUrl = null;
            ServiceInstances? instances = null;
            try
            {
                IConfiguration configuration = directory.ApplyKerberos(parse);
                server = new IPEndPoint(IPAddress.Parse(parse.GetValue(host)!), parse.GetValue(port));
                wire = ClientCommand.Dialect(parse.GetValue(dialect)!, parse.GetValue(stock));
                sourceList = Split(parse.GetValue(sources)).Select(IPAddress.Parse).ToList();
                TimeSpan? limit = parse.GetValue(duration) is string d ? BenchDurations.Parse(d) : null;
                options = new LoadOptions
                {
                    Connections = parse.GetValue(connections),
                    Handshakes = parse.GetValue(handshakes) ?? (limit is null ? 1_000 : long.MaxValue),
                    Duration = limit,
                    Warmup = parse.GetValue(warmup),
                    Ramp = BenchDurations.Parse(parse.GetValue(ramp)!),
                    MessageSize = parse.GetValue(messageSize),
                    MessagesPerSession = parse.GetValue(messages),
                    SourceAddresses = sourceList,
                    Hold = parse.GetValue(hold) is string h ? BenchDurations.Parse(h) : null,
                    HoldOpeners = parse.GetValue(openers),
                    ServerProcessId = parse.GetValue(serverPid),
                    PeerProcessIds = parse.GetValue(peerPids) ?? [],
                };
                options.Validate();
                wire.CheckRequest(string.Empty, options.MessageSize);
                if (parse.GetValue(perConnection) && !parse.GetValue(ccache))
                {
                    throw new ArgumentException("--credential-per-connection needs --ccache.");
                }

                if (parse.GetValue(http) is string url)
                {
                    httpUrl = Uri.TryCreate(url, UriKind.Absolute, out Uri? parsed) && parsed.Scheme == Uri.UriSchemeHttp
                        ? parsed
                        : throw new ArgumentException($"--http: '{url}' is not an absolute http:// URL.");
                    if (options.Hold is not null || options.MessagesPerSession != 1 || parse.GetValue(perConnection))
                    {
                        throw new ArgumentException("--http measures one authenticated GET per context: no --hold, --messages-per-session or --credential-per-connection.");
                    }
                }
                else if (parse.GetValue(preemptive))
                {
                    throw new ArgumentException("--preemptive needs --http.");
                }

                if (parse.GetValue(discover))
                {
                    if (new Option[] { host, port, spn, http }.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is Option given)
                    {
                        throw new ArgumentException($"--discover takes host, port and SPN from the directory; drop {given.Name}.");
                    }

                    instances = await ActorAuthClient.DiscoverAllAsync(
                        directory.CreateBackend(parse, configuration), parse.GetValue(serviceClass)!, parse.GetValue(keywords), cancellationToken);
                }
            }
            catch (Exception e) when (e is FormatException or ArgumentException or ActorAuthClientException or DirectoryUnavailableException or DirectoryException)
            {
                await Console.Error.WriteLineAsync($"actorauth bench: {e.Message}");
                return 2;
            }

            var loggedIn = new List<BenchUser>();
            try
            {
                if (parse.GetValue(ccache))
                {
                    loggedIn.Add(BenchUser.FromTicketCache(parse.GetValue(package)!));
                }
                else
                {
                    foreach (string user in Split(parse.GetValue(users) ?? "alice"))
                    {
                        string passwordFile = Path.Combine(parse.GetValue(realmDir)!, user + ".password");
                        loggedIn.Add(await BenchUser.LoginAsync(user, passwordFile, parse.GetValue(package)!, cancellationToken));
                    }
                }

                using HttpScenario? httpScenario = httpUrl is null ? null : new HttpScenario(
                    httpUrl, loggedIn, options.Connections, parse.GetValue(preemptive), parse.GetResult(spn) is { Implicit: false } ? parse.GetValue(spn) : null);
                ActorAuthScenario? actorAuth = httpScenario is not null ? null
                    : instances is null ? new ActorAuthScenario(server, parse.GetValue(spn)!, sourceList, loggedIn) { CredentialPerConnection = parse.GetValue(perConnection), Dialect = wire }
                    : new ActorAuthScenario(instances, sourceList, loggedIn) { CredentialPerConnection = parse.GetValue(perConnection), Dialect = wire };
                ILoadScenario scenario = (ILoadScenario?)httpScenario ?? actorAuth!;
                TextWriter? progress = Console.IsOutputRedirected ? null : Console.Out;
                BenchResult result = await new LoadRunner(options, scenario, progress).RunAsync(cancellationToken);
                Console.Write(result.ToText());
                foreach ((DiscoveredService instance, long sessions) in actorAuth?.SessionsByInstance ?? [])
                {
                    Console.WriteLine($"instance {instance.Host}:{instance.Port} ({instance.Spn}): {sessions} sessions");
                }

                if (instances is not null)
                {
                    Console.WriteLine($"failovers: {actorAuth!.Failovers}");
                }
                if (parse.GetValue(json) is FileInfo file)
                {
                    await File.WriteAllBytesAsync(file.FullName, result.ToJson(), cancellationToken);
                }

                return result.Failures == 0 || parse.GetValue(allowErrors) ? 0 : 1;
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException or SecurityPackageException)
            {
                await Console.Error.WriteLineAsync($"actorauth bench: {e.Message}");
                return 2;
            }
            finally
            {
                foreach (BenchUser user in loggedIn)
                {
                    user.Dispose();
                }
            }
        });
        return command;
    }

    private static string[] Split(string? list) =>
        list is null ? [] : list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
