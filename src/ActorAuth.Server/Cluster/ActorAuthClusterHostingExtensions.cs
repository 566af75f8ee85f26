using System.Globalization;
using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Configuration;
using Akka.Hosting;
using Akka.Remote.Hosting;

namespace ActorAuth.Server.Cluster;

/// <summary>The Akka.Hosting side of <c>actorauth.cluster</c>: remoting, clustering with keep-majority, and the nodes' message serializer.</summary>
public static class ActorAuthClusterHostingExtensions
{
    /// <summary>
    /// Binds ActorAuth's cluster messages to <see cref="ClusterMessageSerializer"/>, and — when <paramref name="settings"/>
    /// has a port — forms the membership: Akka.Remote on host:port, Akka.Cluster with the seed nodes and roles, and the
    /// split brain resolver's keep-majority, which downs the minority side of a partition after
    /// <see cref="ClusterSettings.DownUnreachableAfter"/> so a dead node's work moves. Without a port the host
    /// application forms the cluster (its own <c>WithRemoting</c>/<c>WithClustering</c>).
    /// </summary>
    public static AkkaConfigurationBuilder WithActorAuthCluster(this AkkaConfigurationBuilder builder, ClusterSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        string serializer = typeof(ClusterMessageSerializer).AssemblyQualifiedNameWithoutVersion();
        string messages = typeof(IClusterMessage).AssemblyQualifiedNameWithoutVersion();
        builder.AddHocon(ConfigurationFactory.ParseString($$"""
            akka.actor.serializers.actorauth-cluster = "{{serializer}}"
            akka.actor.serialization-bindings { "{{messages}}" = actorauth-cluster }
            akka.actor.serialization-identifiers { "{{serializer}}" = {{ClusterMessageSerializer.SerializerId}} }
            """), HoconAddMode.Prepend);
        if (settings.Port is not { } port)
        {
            return builder;
        }

        string stableAfter = ((long)settings.DownUnreachableAfter.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        builder.AddHocon(ConfigurationFactory.ParseString($"akka.cluster.split-brain-resolver.stable-after = {stableAfter}ms"), HoconAddMode.Append);
        return builder
            .WithRemoting(settings.Host, port)
            .WithClustering(new ClusterOptions
            {
                SeedNodes = [.. settings.SeedAddresses],
                Roles = [.. settings.Roles],
                SplitBrainResolver = new KeepMajorityOption(),
            });
    }

    private static string AssemblyQualifiedNameWithoutVersion(this Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";
}
