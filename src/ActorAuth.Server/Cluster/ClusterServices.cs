using ActorAuth.Server.Hosting;
using ActorAuth.Server.Metrics;
using Akka.Actor;
using Microsoft.Extensions.Logging;

namespace ActorAuth.Server.Cluster;

/// <summary>
/// What the connections' actors use of the cluster: the session registry (always; the node's own with the cluster
/// off), the published revocations, and — with the cluster on — the replay cache. <see cref="StartAsync"/> starts
/// the actors and, with the cluster on, returns only once this node is Up and its replay cache votes, so no token is
/// ever accepted by a node that cannot yet ask the others.
/// </summary>
public sealed class ClusterServices
{
    private ClusterServices(ClusterSettings settings, ClusterMetrics metrics, string node, IActorRef registry, IActorRef? replayCache, Revocations revocations, IReadOnlyList<IActorRef> actors, IActorRef? addressRates = null)
    {
        _addressRates = addressRates;
        _actors = actors;
        Settings = settings;
        Metrics = metrics;
        Node = node;
        Registry = registry;
        ReplayCache = replayCache;
        Revocations = revocations;
    }

    private readonly IActorRef? _addressRates;
    private readonly IReadOnlyList<IActorRef> _actors;

    /// <summary>The cluster's settings.</summary>
    public ClusterSettings Settings { get; }

    /// <summary>The cluster's instruments.</summary>
    public ClusterMetrics Metrics { get; }

    /// <summary>This node's name in the registry and the metrics: <c>host:port</c> of its cluster address, or the machine name.</summary>
    public string Node { get; }

    /// <summary>The <see cref="SessionRegistryActor"/>.</summary>
    public IActorRef Registry { get; }

    /// <summary>The <see cref="ReplayCacheActor"/>; null with the cluster off (MIT's replay cache alone guards the node).</summary>
    public IActorRef? ReplayCache { get; }

    /// <summary>The principals refused now.</summary>
    public Revocations Revocations { get; }

    /// <summary>Starts the actors in <paramref name="system"/>; with the cluster on, waits until this node is Up and its replay cache votes.</summary>
    /// <exception cref="ServerStartupException">The cluster is on but the system is not a cluster, or this node did not join within the join timeout.</exception>
    public static async Task<ClusterServices> StartAsync(ActorSystem system, ClusterSettings settings, ServerMetrics serverMetrics, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var metrics = new ClusterMetrics(serverMetrics);
        var revocations = new Revocations();
        ILogger log = loggers.CreateLogger<ClusterServices>();
        if (!settings.Enabled)
        {
            string single = Environment.MachineName;
            IActorRef own = system.ActorOf(SessionRegistryActor.Props(settings, metrics, revocations, single, loggers.CreateLogger<SessionRegistryActor>()), SessionRegistryActor.Name);
            return new ClusterServices(settings, metrics, single, own, null, revocations, [own]);
        }

        if (system.Settings.ProviderClass.IndexOf("Cluster", StringComparison.Ordinal) < 0)
        {
            throw new ServerStartupException(
                $"{ClusterSettings.Section}:enabled is on, but this actor system is not a cluster: set {ClusterSettings.Section}:port (and seed-nodes), or form the cluster in the host application (WithClustering).");
        }

        var cluster = Akka.Cluster.Cluster.Get(system);
        string node = $"{cluster.SelfAddress.Host}:{cluster.SelfAddress.Port}";
        serverMetrics.Node = node;
        IActorRef membership = system.ActorOf(ClusterMembershipLogger.Props(metrics, loggers.CreateLogger<ClusterMembershipLogger>()), "actorauth-cluster-log");
        IActorRef replay = system.ActorOf(ReplayCacheActor.Props(settings, metrics, loggers.CreateLogger<ReplayCacheActor>()), ReplayCacheActor.Name);
        IActorRef registry = system.ActorOf(SessionRegistryActor.Props(settings, metrics, revocations, node, loggers.CreateLogger<SessionRegistryActor>()), SessionRegistryActor.Name);
        IActorRef addressRates = system.ActorOf(AddressRateGossipActor.Props(settings), AddressRateGossipActor.Name);
        var services = new ClusterServices(settings, metrics, node, registry, replay, revocations, [membership, replay, registry, addressRates], addressRates);

        log.LogInformation("Cluster node {Node} joining [{Seeds}] (roles [{Roles}]); serving starts once it is Up and its replay cache votes",
            node, string.Join(", ", settings.SeedAddresses), string.Join(", ", settings.Roles));
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.JoinTimeout);
        try
        {
            await up.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
            await replay.Ask<AwaitReplayReady>(AwaitReplayReady.Instance, cancellationToken: timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e)
        {
            await services.StopAsync().ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new ServerStartupException(
                $"Cluster node {node} was not Up with a voting replay cache within {settings.JoinTimeout.TotalSeconds:0.###} s ({ClusterSettings.Section}:join-timeout); seed nodes [{string.Join(", ", settings.SeedAddresses)}]; members seen: [{string.Join(", ", cluster.State.Members.Select(m => $"{m.Address.Host}:{m.Address.Port} {m.Status}"))}]", e);
        }

        log.LogInformation("Cluster node {Node} is Up: members [{Members}]", node,
            string.Join(", ", cluster.State.Members.Select(m => $"{m.Address.Host}:{m.Address.Port} {m.Status}")));
        return services;
    }

    /// <summary>Stops the actors this started (the server stops without its actor system, or failed to start), bounded.</summary>
    public async Task StopAsync()
    {
        try
        {
            await Task.WhenAll(_actors.Select(a => a.GracefulStop(TimeSpan.FromSeconds(5)))).ConfigureAwait(false);
        }
        catch (TaskCanceledException)
        {
            // Not stopped in time: they stop with the actor system.
        }
    }

    /// <summary>With the cluster on, makes <paramref name="listener"/>'s per-address rate hold across the cluster (no-op when off or without a limit).</summary>
    public void ShareRateLimit(string listener, Tcp.AddressRateLimiter? limiter)
    {
        if (limiter is not null)
        {
            _addressRates?.Tell(new ShareRateLimit(listener, limiter));
        }
    }
}
