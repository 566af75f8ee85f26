using ActorAuth.Server.Metrics;
using ActorAuth.Server.Sessions;
using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using Akka.Logger.Serilog;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ActorAuth.Server.Hosting;

/// <summary>Registers ActorAuth in a Microsoft.Extensions.Hosting application that has no actor system of its own.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>The name of the actor system <see cref="AddActorAuth"/> starts.</summary>
    public const string ActorSystemName = "actorauth";

    /// <summary>
    /// Adds an actor system named <c>actorauth</c> (Akka.Hosting) running the ActorAuth listener, configured from the
    /// <c>actorauth</c> and <c>akka</c> sections of <paramref name="configuration"/>, with the built-in <c>echo</c> and
    /// <c>whoami</c> operations; Akka's own log events go to Serilog (<c>Serilog.Log.Logger</c>). Add the
    /// application's operations with <paramref name="configure"/> or <see cref="ActorAuthBuilder.AddSessionHandler{T}"/>.
    /// An application with its own actor system calls <see cref="ActorAuthHostingExtensions.WithActorAuth"/> instead.
    /// </summary>
    public static ActorAuthBuilder AddActorAuth(this IServiceCollection services, IConfiguration configuration, Action<ActorAuthSetup>? configure = null)
    {
        services.TryAddSingleton<ServerMetrics>();
        services.AddAkka(ActorSystemName, builder => builder
            .ConfigureLoggers(loggers => loggers.ClearLoggers().AddLogger<SerilogLogger>())
            // Akka prints to stdout until its loggers run; stdout is for results. A fallback: the akka section may say otherwise.
            .AddHocon(ConfigurationFactory.ParseString("akka.stdout-loglevel = OFF"), HoconAddMode.Append)
            .WithActorAuth(configuration, configure));
        services.AddSingleton(provider => ActorAuthExtension.Get(provider.GetRequiredService<ActorSystem>()).Server);
        services.AddHostedService(provider => ActivatorUtilities.CreateInstance<StatsLogger>(provider, configuration));
        return new ActorAuthBuilder(services);
    }
}

/// <summary>Adds the application's operations to an ActorAuth server.</summary>
public sealed class ActorAuthBuilder
{
    internal ActorAuthBuilder(IServiceCollection services) => Services = services;

    /// <summary>The application's service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Serves <typeparamref name="T"/>'s operation (a singleton, created by the container).</summary>
    public ActorAuthBuilder AddSessionHandler<T>() where T : class, ISessionHandler
    {
        Services.AddSingleton<ISessionHandler, T>();
        return this;
    }
}
