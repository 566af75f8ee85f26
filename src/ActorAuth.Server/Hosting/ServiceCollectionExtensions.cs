using ActorAuth.Server.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ActorAuth.Server.Hosting;

/// <summary>Registers ActorAuth in a Microsoft.Extensions.Hosting application.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Adds the ActorAuth server, configured from the <c>actorauth</c> section of <paramref name="configuration"/>,
    /// as a hosted service: it starts and stops with the host.
    /// </summary>
    public static IServiceCollection AddActorAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(new ServerMetrics());
        services.AddSingleton(provider => ActivatorUtilities.CreateInstance<ActorAuthServer>(provider, configuration));
        services.AddHostedService(provider => provider.GetRequiredService<ActorAuthServer>());
        return services;
    }
}
