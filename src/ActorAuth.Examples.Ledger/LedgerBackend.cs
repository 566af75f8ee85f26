using ActorAuth.Hocon;
using ActorAuth.Server.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ActorAuth.Examples.Ledger;

/// <summary>
/// A small back end that embeds ActorAuth as its authentication tier: its own operations, its own
/// authorization file, ActorAuth's actor system running as a hosted service inside its host.
/// </summary>
public static class LedgerBackend
{
    /// <summary>
    /// The host: <c>ledger.conf</c> and <c>ledger-authorization.conf</c> (next to the program), then
    /// <paramref name="overrides"/>, then ActorAuth and the ledger's handlers.
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
        builder.Services.AddSingleton<Ledger>();
        builder.Services.AddActorAuth(builder.Configuration)
            .AddSessionHandler<BalanceHandler>()
            .AddSessionHandler<DepositHandler>();
        return builder.Build();
    }
}
