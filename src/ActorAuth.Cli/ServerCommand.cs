using System.CommandLine;
using ActorAuth.Security;
using ActorAuth.Server.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace ActorAuth.Cli;

/// <summary><c>actorauth server [--config HOCON.conf] [--port N]</c>: serves until Ctrl-C or SIGTERM, then shuts down gracefully.</summary>
internal static class ServerCommand
{
    public static Command Create()
    {
        Option<string> config = CliOptions.Config();
        var port = new Option<int?>("--port") { Description = "TCP port (overrides actorauth.server.port; default 2000)." };
        var statsInterval = new Option<string?>("--stats-interval") { Description = "Log a one-line summary of the metrics this often, e.g. 10s (overrides actorauth.server.stats-interval)." };
        var command = new Command("server", "Run the authentication server (listens on 127.0.0.1:2000 unless configured).") { config, port, statsInterval };
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
}
