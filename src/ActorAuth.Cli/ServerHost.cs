using ActorAuth.Server.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ActorAuth.Cli;

/// <summary>The host that runs the server, for <c>actorauth server</c> and <c>actorauth demo</c> alike.</summary>
internal static class ServerHost
{
    /// <summary>A host with ActorAuth registered and Serilog on the console (logs go to stderr; stdout is for results).</summary>
    public static IHost Build(IConfiguration configuration)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.AddActorAuthConsole(configuration);
        builder.Services.AddActorAuth(configuration);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));
        return builder.Build();
    }

    /// <summary>
    /// Starts the host. A refused start is reported by the caller as one line; Akka.Hosting would also print it to
    /// stdout with its stack, and stdout carries only results, so stdout is silenced for the start alone.
    /// </summary>
    public static async Task StartAsync(IHost host, CancellationToken cancellationToken)
    {
        TextWriter stdout = Console.Out;
        Console.SetOut(TextWriter.Null);
        try
        {
            await host.StartAsync(cancellationToken);
        }
        finally
        {
            Console.SetOut(stdout);
        }
    }
}
