using ActorAuth.Server.Metrics;
using ActorAuth.Server.Sessions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace ActorAuth.Server.Hosting;

/// <summary>Registers ActorAuth in a Microsoft.Extensions.Hosting application.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Adds the ActorAuth server, configured from the <c>actorauth</c> section of <paramref name="configuration"/>,
    /// as a hosted service that starts and stops with the host, with the built-in <c>echo</c> and <c>whoami</c>
    /// operations. Add the application's own with <see cref="ActorAuthBuilder.AddSessionHandler{T}"/>.
    /// </summary>
    public static ActorAuthBuilder AddActorAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<ServerMetrics>();
        services.AddSingleton<ISessionHandler, EchoHandler>();
        services.AddSingleton<ISessionHandler, WhoAmIHandler>();
        services.AddSingleton(provider => ActivatorUtilities.CreateInstance<ActorAuthServer>(provider, configuration));
        services.AddHostedService(provider => provider.GetRequiredService<ActorAuthServer>());
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
