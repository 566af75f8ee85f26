using System.CommandLine;
using ActorAuth.Protocol;
using ActorAuth.Security;
using ActorAuth.Server;
using ActorAuth.Server.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace ActorAuth.Cli;

/// <summary>
/// <c>actorauth server [--config HOCON.conf] [--port N] [--nns-port N] [--gss-sample-port N] [--http-port N [--http-root DIR]] [--read-file-root DIR]
/// [--delegation-target HOST:PORT ...] [--constrained-delegation-account PRINCIPAL]</c>: serves until Ctrl-C or SIGTERM, then shuts down gracefully. The dialect
/// ports add listeners on 127.0.0.1 after those configured; the last two turn on read-file and forward-whoami.
/// </summary>
internal static class ServerCommand
{
    public static Command Create()
    {
        Option<string> config = CliOptions.Config();
        var port = new Option<int?>("--port") { Description = "TCP port (overrides actorauth.server.port; default 2000)." };
        var statsInterval = new Option<string?>("--stats-interval") { Description = "Log a one-line summary of the metrics this often, e.g. 10s (overrides actorauth.server.stats-interval)." };
        var nnsPort = new Option<int?>("--nns-port") { Description = "Also serve .NET NegotiateStream clients on 127.0.0.1:N (a negotiate-stream listener)." };
        var gssSamplePort = new Option<int?>("--gss-sample-port") { Description = "Also serve MIT gss-sample clients (gss-client) on 127.0.0.1:N (a gss-sample listener)." };
        var httpPort = new Option<int?>("--http-port") { Description = "Also serve HTTP Negotiate (browsers, curl, HttpClient) on 127.0.0.1:N (an http listener)." };
        var httpRoot = new Option<string?>("--http-root") { Description = "The documents the --http-port listener serves to authenticated users (its http.documents-root)." };
        var readFileRoot = new Option<string?>("--read-file-root") { Description = "Serve read-file from this directory, reading as each client's local account (overrides actorauth.server.impersonation.root; needs CAP_SETUID and CAP_SETGID)." };
        var delegationTargets = new Option<string[]>("--delegation-target")
        {
            Description = "A HOST:PORT that forward-whoami may reach as a delegating client (adds to actorauth.server.delegation.targets; repeatable).",
            AllowMultipleArgumentsPerToken = false,
        };
        var constrainedAccount = new Option<string?>("--constrained-delegation-account")
        {
            Description = "The service's account principal (e.g. svc-actorauth@REALM) for Kerberos constrained delegation, so forward-whoami works for clients that delegate nothing (overrides actorauth.server.delegation.constrained-account).",
        };
        var clusterPort = new Option<int?>("--cluster-port") { Description = "Be a node of an ActorAuth cluster, its Akka.Remote on 127.0.0.1:N (or --cluster-host) (sets actorauth.cluster.enabled and port)." };
        var clusterHost = new Option<string?>("--cluster-host") { Description = "With --cluster-port: the address this node's Akka.Remote binds and the others reach it at (actorauth.cluster.host)." };
        var seeds = new Option<string[]>("--seed")
        {
            Description = "With --cluster-port: a node to join, HOST:PORT of its cluster port (actorauth.cluster.seed-nodes; repeatable; without any, the node forms a cluster of its own).",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("server", "Run the authentication server (listens on 127.0.0.1:2000 unless configured).")
        {
            config, port, statsInterval, nnsPort, gssSamplePort, httpPort, httpRoot, readFileRoot, delegationTargets, constrainedAccount, clusterPort, clusterHost, seeds,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var overrides = new Dictionary<string, string?>();
            if (parse.GetValue(port) is int p)
            {
                overrides["actorauth:server:port"] = p.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            if (parse.GetValue(statsInterval) is string interval)
            {
                overrides["actorauth:server:stats-interval"] = interval;
            }

            if (parse.GetValue(readFileRoot) is string root)
            {
                overrides[$"{Server.Sessions.ImpersonationSettings.Section}:root"] = Path.GetFullPath(root);
            }

            if (parse.GetValue(constrainedAccount) is string account)
            {
                overrides[$"{Server.Sessions.DelegationSettings.Section}:constrained-account"] = account;
            }

            string[] targets = parse.GetValue(delegationTargets) ?? [];
            if (targets.Length > 0)
            {
                // Appended after the configured entries, as the dialect ports are after the configured listeners.
                string list = $"{Server.Sessions.DelegationSettings.Section}:targets";
                int next = ActorAuthConfiguration.Load(parse.GetValue(config)!, overrides).GetSection(list).GetChildren().Count();
                for (int i = 0; i < targets.Length; i++)
                {
                    overrides[$"{list}:{next + i}"] = targets[i];
                }
            }

            if (!ClusterOverrides(parse.GetValue(clusterPort), parse.GetValue(clusterHost), parse.GetValue(seeds) ?? [], overrides, out string? clusterError))
            {
                await Console.Error.WriteLineAsync($"actorauth server: {clusterError}");
                return 2;
            }

            var dialectPorts = new[]
            {
                (WireDialect.NegotiateStream, parse.GetValue(nnsPort)), (WireDialect.GssSample, parse.GetValue(gssSamplePort)), (WireDialect.Http, parse.GetValue(httpPort)),
            };
            if (parse.GetValue(httpRoot) is not null && parse.GetValue(httpPort) is null)
            {
                await Console.Error.WriteLineAsync("actorauth server: --http-root needs --http-port (or set http.documents-root on a configured http listener)");
                return 2;
            }

            if (dialectPorts.Any(d => d.Item2 is not null))
            {
                AddListeners(ActorAuthConfiguration.Load(parse.GetValue(config)!, overrides), dialectPorts, overrides, parse.GetValue(httpRoot));
            }

            IConfigurationRoot configuration = ActorAuthConfiguration.Load(parse.GetValue(config)!, overrides);
            using IHost host = ServerHost.Build(configuration);
            try
            {
                await ServerHost.StartAsync(host, cancellationToken);
                // Returns on Ctrl-C/SIGTERM after the graceful stop (the actor system's CoordinatedShutdown).
                await host.WaitForShutdownAsync(cancellationToken);
                return 0;
            }
            catch (Exception e) when (e is SecurityPackageException or ServerStartupException or FormatException or InvalidDataException)
            {
                await Console.Error.WriteLineAsync($"actorauth server: {e.Message}");
                return 2;
            }
            catch (IOException e)
            {
                await Console.Error.WriteLineAsync($"actorauth server: cannot listen: {e.Message}");
                return 2;
            }
        });
        return command;
    }

    /// <summary>
    /// <c>--cluster-port</c>, <c>--cluster-host</c>, <c>--seed</c> as <c>actorauth.cluster</c> keys; a node given no seed
    /// seeds itself, so the first node of a cluster needs nothing more than its port.
    /// </summary>
    private static bool ClusterOverrides(int? port, string? host, string[] seeds, Dictionary<string, string?> overrides, out string? error)
    {
        error = port is null && (seeds.Length > 0 || host is not null) ? "--seed and --cluster-host need --cluster-port" : null;
        if (port is not int p)
        {
            return error is null;
        }

        string section = Server.Cluster.ClusterSettings.Section;
        string self = $"{host ?? "127.0.0.1"}:{p.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        overrides[$"{section}:enabled"] = "on";
        overrides[$"{section}:port"] = p.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (host is not null)
        {
            overrides[$"{section}:host"] = host;
        }

        string[] all = seeds.Length > 0 ? seeds : [self];
        for (int i = 0; i < all.Length; i++)
        {
            overrides[$"{section}:seed-nodes:{i}"] = all[i];
        }

        return true;
    }

    /// <summary>
    /// Appends a listener on 127.0.0.1 for each dialect given a port, after the configured ones — and, when none are
    /// configured, after the default sockauth listener, which a list would otherwise replace.
    /// </summary>
    private static void AddListeners(IConfiguration configured, (WireDialect Dialect, int? Port)[] dialectPorts, Dictionary<string, string?> overrides, string? httpRoot)
    {
        int next = configured.GetSection(ListenerOptions.Section).GetChildren().Count();
        if (next == 0)
        {
            overrides[$"{ListenerOptions.Section}:0:kind"] = WireDialect.Sockauth.Name();
            next = 1;
        }

        foreach ((WireDialect dialect, int? port) in dialectPorts)
        {
            if (port is int p)
            {
                overrides[$"{ListenerOptions.Section}:{next}:kind"] = dialect.Name();
                overrides[$"{ListenerOptions.Section}:{next}:host"] = "127.0.0.1";
                overrides[$"{ListenerOptions.Section}:{next}:port"] = p.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (dialect == WireDialect.Http && httpRoot is not null)
                {
                    overrides[$"{ListenerOptions.Section}:{next}:http:documents-root"] = Path.GetFullPath(httpRoot);
                }

                next++;
            }
        }
    }
}
