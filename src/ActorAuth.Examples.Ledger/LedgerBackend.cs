using ActorAuth.Hocon;
using ActorAuth.Server.Hosting;
using Akka.Actor;
using Akka.Hosting;
using Akka.Logger.Serilog;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ActorAuth.Examples.Ledger;

/// <summary>
/// A small Akka.NET back end that embeds ActorAuth as its authentication tier: its own actor system (Akka.Hosting)
/// with its own actor, the <see cref="LedgerActor"/>, serving the operations ActorAuth authenticates and authorizes
/// by its own authorization file.
/// </summary>
public static class LedgerBackend
{
    /// <summary>The name of the back end's actor system.</summary>
    public const string ActorSystemName = "ledger";

    /// <summary>
    /// The host: <c>ledger.conf</c> and <c>ledger-authorization.conf</c> (next to the program), then
    /// <paramref name="overrides"/>; the ledger's actor system with the ledger actor and ActorAuth in it.
    /// </summary>
    public static IHost Build(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
            DisableDefaults = true,
        });
        builder.Configuration
            .AddHoconFile(Path.Combine(AppContext.BaseDirectory, "ledger.conf"))
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["actorauth:authorization:file"] = Path.Combine(AppContext.BaseDirectory, "ledger-authorization.conf"),
            })
            .AddInMemoryCollection(overrides ?? new Dictionary<string, string?>());
        builder.Logging.AddActorAuthConsole(builder.Configuration);
        IConfiguration configuration = builder.Configuration;
        builder.Services.AddAkka(ActorSystemName, akka => akka
            .ConfigureLoggers(loggers => loggers.ClearLoggers().AddLogger<SerilogLogger>())
            .WithActors((system, registry) => registry.Register<LedgerActor>(system.ActorOf(Props.Create<LedgerActor>(), "ledger")))
            .WithActorAuth(configuration, auth => auth
                .AddOperation<LedgerActor>("balance")
                .AddOperation<LedgerActor>("deposit")));
        return builder.Build();
    }
}
