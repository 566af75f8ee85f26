using System.Diagnostics.Metrics;
using System.Globalization;
using ActorAuth.Server.Cluster;
using ActorAuth.Server.Metrics;
using ActorAuth.Server.Sessions;
using Akka.Configuration;
using Akka.DependencyInjection;
using Akka.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorAuth.Server.Hosting;

/// <summary>Adds ActorAuth to an Akka.Hosting actor system: <c>services.AddAkka("app", (builder, sp) =&gt; builder.WithActorAuth(configuration))</c>.</summary>
public static class ActorAuthHostingExtensions
{
    /// <summary>
    /// Starts an ActorAuth listener in this actor system, configured from the <c>actorauth</c> section of
    /// <paramref name="configuration"/>, with the operations <paramref name="configure"/> adds (plain handlers or the
    /// application's actors) besides <c>echo</c>, <c>whoami</c> and any <see cref="ISessionHandler"/> in the service
    /// collection. Its <c>akka</c> section, if any, goes over the system's configuration. The listener starts with
    /// the system (a missing keytab, a port in use or a refused directory step fails the host's start), stops
    /// with its CoordinatedShutdown, and is found with <see cref="ActorAuthExtension.Get"/>.
    /// </summary>
    public static AkkaConfigurationBuilder WithActorAuth(this AkkaConfigurationBuilder builder, IConfiguration configuration, Action<ActorAuthSetup>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var setup = new ActorAuthSetup();
        configure?.Invoke(setup);
        ServerOptions options = ServerOptions.From(configuration);

        // CoordinatedShutdown's phases must outlast the drain they run; a fallback, so the application's own settings win.
        builder.AddHocon(ConfigurationFactory.ParseString(ShutdownPhases(options)), HoconAddMode.Append);
        ClusterSettings cluster = ClusterSettings.From(configuration);
        if (cluster.Enabled)
        {
            builder.WithActorAuthCluster(cluster);
        }

        IConfigurationSection akka = configuration.GetSection("akka");
        if (akka.Exists())
        {
            builder.AddHocon(akka, HoconAddMode.Prepend);
        }

        return builder.WithActors(async (system, registry, resolver) =>
        {
            ILoggerFactory loggers = resolver.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
            ServerMetrics metrics = resolver.GetService<ServerMetrics>() ?? new ServerMetrics(resolver.GetService<IMeterFactory>());
            IEnumerable<ISessionHandler> fromServices = resolver.GetService<IEnumerable<ISessionHandler>>() ?? [];
            var server = new ActorAuthServer(configuration, setup.Handlers(fromServices, registry, options.HandlerTimeout), metrics, loggers);
            ActorAuthExtension.Get(system).Attach(server);
            await server.StartAsync(system).ConfigureAwait(false);
            registry.Register<Actors.ConnectionSupervisor>(server.Connections);
        });
    }

    private static string ShutdownPhases(ServerOptions options)
    {
        string drain = ((long)(options.DrainTimeout + TimeSpan.FromSeconds(5)).TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        return $"""
            akka.coordinated-shutdown.phases.service-unbind.timeout = 10s
            akka.coordinated-shutdown.phases.service-requests-done.timeout = {drain}ms
            akka.coordinated-shutdown.phases.service-stop.timeout = 45s
            """;
    }
}
