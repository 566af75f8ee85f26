using System.Net;
using ActorAuth.Server.Tcp;
using Akka.Actor;
using Akka.Cluster;

namespace ActorAuth.Server.Cluster;

/// <summary>
/// Makes each listener's per-address connection rate hold for the cluster: every gossip interval it sends the other
/// nodes how many connections each address opened here, and charges what they send to this node's buckets of the
/// same listener. So an address that spreads its connections over N nodes gets the rate once, not N times; until the
/// next gossip it can get at most one more burst per node plus one interval's rate per node (docs/CLUSTER.md).
/// </summary>
public sealed class AddressRateGossipActor : ReceiveActor
{
    /// <summary>The actor's name under /user on every node.</summary>
    public const string Name = "actorauth-address-rates";

    private readonly Dictionary<string, AddressRateLimiter> _limiters = new(StringComparer.Ordinal);
    private readonly ClusterPeers _peers;
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly TimeSpan _interval;
    private ICancelable? _tick;

    /// <summary>Creates the actor; listeners register with <see cref="ShareRateLimit"/>.</summary>
    public AddressRateGossipActor(ClusterSettings settings)
    {
        _interval = settings.GossipInterval;
        _peers = new ClusterPeers(Context.System, Name);
        Receive<ShareRateLimit>(share => _limiters[share.Listener] = share.Limiter);
        Receive<AddressAdmissions>(OnAdmissions);
        Receive<ClusterEvent.IMemberEvent>(e =>
        {
            if (!e.Member.Address.Equals(_cluster.SelfAddress))
            {
                _peers.Apply(e.Member);
            }
        });
        Receive<Tick>(_ => OnTick());
    }

    /// <summary>Props for the actor.</summary>
    public static Props Props(ClusterSettings settings) => Akka.Actor.Props.Create<AddressRateGossipActor>(settings);

    /// <inheritdoc />
    protected override void PreStart()
    {
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent));
        _tick = Context.System.Scheduler.ScheduleTellRepeatedlyCancelable(_interval, _interval, Self, Tick.Instance, ActorRefs.NoSender);
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        _tick?.Cancel();
        _cluster.Unsubscribe(Self);
    }

    private void OnTick()
    {
        foreach ((string listener, AddressRateLimiter limiter) in _limiters)
        {
            List<(IPAddress Address, int Connections)> admitted = limiter.TakeAdmitted();
            if (_peers.Count == 0)
            {
                continue;
            }

            // At most ~21 bytes an address: 2,500 a message stays well under Akka.Remote's 128,000-byte frame.
            foreach ((IPAddress, int)[] part in admitted.Chunk(2_500))
            {
                _peers.Tell(new AddressAdmissions(listener, part), Self);
            }
        }
    }

    private void OnAdmissions(AddressAdmissions admissions)
    {
        if (_limiters.TryGetValue(admissions.Listener, out AddressRateLimiter? limiter))
        {
            foreach ((IPAddress address, int connections) in admissions.Admitted)
            {
                limiter.Charge(address, connections);
            }
        }
    }

    private sealed record Tick
    {
        public static readonly Tick Instance = new();
    }
}

/// <summary>A listener's rate limiter joins the cluster's gossip under the listener's name (the same name on every node).</summary>
public sealed record ShareRateLimit(string Listener, AddressRateLimiter Limiter);

/// <summary>How many connections each address opened on the sending node's listener since its last gossip.</summary>
public sealed record AddressAdmissions(string Listener, IReadOnlyList<(IPAddress Address, int Connections)> Admitted) : IClusterMessage;
