using ActorAuth.Server.Metrics;
using Akka.Actor;
using Akka.Cluster;
using Microsoft.Extensions.Logging;

namespace ActorAuth.Server.Cluster;

/// <summary>
/// The cluster's sessions as this node knows them: its own (authoritative, with each session's actor) and every other
/// node's, which they gossip as deltas every <see cref="ClusterSettings.GossipInterval"/> and send whole to a node
/// that comes up. A node that is downed or leaves takes its sessions out of every registry. Admission is checked
/// here (a revoked principal; <see cref="ClusterSettings.MaxSessionsPerPrincipal"/> counted across the cluster): two
/// nodes may admit the same principal's last slot at the same moment, so when gossip shows a principal over its
/// limit, every node ranks that principal's sessions the same way (oldest first) and ends its own that rank beyond
/// the limit — the limit holds again within one gossip interval. With the cluster off it is the node's own registry.
/// </summary>
public sealed partial class SessionRegistryActor : ReceiveActor
{
    /// <summary>The actor's name under /user on every node.</summary>
    public const string Name = "actorauth-sessions";

    /// <summary>Under Akka.Remote's default maximum frame (128,000 bytes), with room to spare.</summary>
    private const int MaxMessageBytes = 60_000;

    private readonly ClusterSettings _settings;
    private readonly ClusterMetrics _metrics;
    private readonly Revocations _revocations;
    private readonly ILogger _log;
    private readonly string _node;
    private readonly Akka.Cluster.Cluster? _cluster;
    private readonly Dictionary<long, (SessionEntry Entry, IActorRef Session)> _local = [];
    private readonly Dictionary<Address, Dictionary<long, SessionEntry>> _remote = [];
    private readonly ClusterPeers _peers;
    private readonly Dictionary<string, int> _perPrincipal = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _revoked = new(StringComparer.Ordinal);
    private Dictionary<long, SessionEntry> _added = [];
    private List<long> _removed = [];
    private ICancelable? _tick;

    /// <summary>Creates the registry of node <paramref name="node"/>; it gossips only when the actor system is a cluster.</summary>
    public SessionRegistryActor(ClusterSettings settings, ClusterMetrics metrics, Revocations revocations, string node, ILogger log)
    {
        _settings = settings;
        _metrics = metrics;
        _revocations = revocations;
        _node = node;
        _log = log;
        _cluster = settings.Enabled ? Akka.Cluster.Cluster.Get(Context.System) : null;
        _peers = new ClusterPeers(Context.System, Name);

        Receive<RegisterSession>(OnRegister);
        Receive<SessionClosed>(OnClosed);
        Receive<ListSessions>(OnList);
        Receive<RevokePrincipal>(OnRevokePrincipal);
        Receive<RevokeRequest>(OnRevokeRequest);
        Receive<RevokeApplied>(OnRevokeApplied);
        Receive<SessionDelta>(OnDelta);
        Receive<SessionSnapshot>(OnSnapshot);
        Receive<SessionSnapshotRequest>(_ => SendSnapshot(Sender));
        Receive<ClusterEvent.IMemberEvent>(OnMemberEvent);
        Receive<Tick>(_ => OnTick());
    }

    /// <summary>Props for the registry.</summary>
    public static Props Props(ClusterSettings settings, ClusterMetrics metrics, Revocations revocations, string node, ILogger log) =>
        Akka.Actor.Props.Create<SessionRegistryActor>(settings, metrics, revocations, node, log);

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <inheritdoc />
    protected override void PreStart()
    {
        _cluster?.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent));
        _tick = Context.System.Scheduler.ScheduleTellRepeatedlyCancelable(_settings.GossipInterval, _settings.GossipInterval, Self, Tick.Instance, ActorRefs.NoSender);
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        _tick?.Cancel();
        _cluster?.Unsubscribe(Self);
    }

    private void OnRegister(RegisterSession register)
    {
        SessionEntry entry = register.Entry;
        if (_revoked.TryGetValue(entry.Principal, out long until) && until > Now)
        {
            Refuse(TeardownReason.Revoked, $"{entry.Principal} is revoked until {DateTimeOffset.FromUnixTimeMilliseconds(until):u}");
            return;
        }

        int limit = _settings.MaxSessionsPerPrincipal;
        if (limit > 0 && _perPrincipal.GetValueOrDefault(entry.Principal) >= limit)
        {
            Refuse(TeardownReason.SessionLimit, $"{entry.Principal} holds {limit} sessions across the cluster (max-sessions-per-principal)");
            return;
        }

        _local[entry.ConnectionId] = (entry, Sender);
        Count(entry.Principal, +1);
        _added[entry.ConnectionId] = entry;
        Sender.Tell(SessionAdmission.Yes);

        void Refuse(TeardownReason reason, string detail)
        {
            _metrics.SessionRefused(reason.Code());
            Sender.Tell(new SessionAdmission(false, reason, detail));
        }
    }

    private void OnClosed(SessionClosed closed)
    {
        if (_local.Remove(closed.ConnectionId, out var held))
        {
            Count(held.Entry.Principal, -1);
            // One that never left this node needs no removal: the others never heard of it.
            if (!_added.Remove(closed.ConnectionId))
            {
                _removed.Add(closed.ConnectionId);
            }
        }
    }

    private void OnList(ListSessions list)
    {
        var sessions = new List<SessionEntry>();
        foreach ((SessionEntry entry, IActorRef _) in _local.Values)
        {
            if (list.Principal is null || entry.Principal == list.Principal)
            {
                sessions.Add(entry);
            }
        }

        foreach (Dictionary<long, SessionEntry> node in _remote.Values)
        {
            sessions.AddRange(list.Principal is null ? node.Values : node.Values.Where(e => e.Principal == list.Principal));
        }

        sessions.Sort(BySince);
        Sender.Tell(new SessionList(sessions, [_node, .. _peers.All.Keys.Select(NodeName).Order(StringComparer.Ordinal)]));
    }

    private void OnDelta(SessionDelta delta)
    {
        Dictionary<long, SessionEntry> node = ViewOf(Sender.Path.Address);

        // Additions first: a removal always follows its addition, in this delta or a later one.
        foreach (SessionEntry entry in delta.Added)
        {
            Add(node, entry);
        }

        foreach (long id in delta.Removed)
        {
            if (node.Remove(id, out SessionEntry? gone))
            {
                Count(gone.Principal, -1);
            }
        }

        EnforceLimit(delta.Added);
    }

    private void OnSnapshot(SessionSnapshot snapshot)
    {
        Address from = Sender.Path.Address;
        Dictionary<long, SessionEntry> node = ViewOf(from);

        if (snapshot.First)
        {
            Forget(node);
        }

        foreach (SessionEntry entry in snapshot.Entries)
        {
            Add(node, entry);
        }

        foreach (Revocation revocation in snapshot.Revocations)
        {
            Revoke(revocation, by: NodeName(from));
        }

        EnforceLimit(snapshot.Entries);
    }

    /// <summary>What this node knows of <paramref name="address"/>'s sessions; made on its first message, which may come before this node sees it Up.</summary>
    private Dictionary<long, SessionEntry> ViewOf(Address address)
    {
        if (!_remote.TryGetValue(address, out Dictionary<long, SessionEntry>? node))
        {
            _remote[address] = node = [];
        }

        return node;
    }

    private void Add(Dictionary<long, SessionEntry> node, SessionEntry entry)
    {
        if (node.TryAdd(entry.ConnectionId, entry))
        {
            Count(entry.Principal, +1);
        }
    }

    private void Forget(Dictionary<long, SessionEntry> node)
    {
        foreach (SessionEntry entry in node.Values)
        {
            Count(entry.Principal, -1);
        }

        node.Clear();
    }

    private void Count(string principal, int delta)
    {
        int count = _perPrincipal.GetValueOrDefault(principal) + delta;
        if (count > 0)
        {
            _perPrincipal[principal] = count;
        }
        else
        {
            _perPrincipal.Remove(principal);
        }
    }

    /// <summary>Ends this node's sessions of any principal now over its limit that rank past it (oldest sessions keep their places).</summary>
    private void EnforceLimit(IReadOnlyList<SessionEntry> added)
    {
        int limit = _settings.MaxSessionsPerPrincipal;
        if (limit == 0)
        {
            return;
        }

        foreach (string principal in added.Select(e => e.Principal).Distinct())
        {
            if (_perPrincipal.GetValueOrDefault(principal) <= limit)
            {
                continue;
            }

            var ranked = _local.Values.Select(l => l.Entry).Where(e => e.Principal == principal)
                .Concat(_remote.Values.SelectMany(n => n.Values).Where(e => e.Principal == principal))
                .ToList();
            ranked.Sort(BySince);
            foreach (SessionEntry excess in ranked.Skip(limit).Where(e => e.Node == _node))
            {
                _metrics.SessionRefused(TeardownReason.SessionLimit.Code());
                _local[excess.ConnectionId].Session.Tell(new EndSession(TeardownReason.SessionLimit,
                    $"{principal} was admitted on two nodes at once beyond max-sessions-per-principal = {limit}; the newest session ends"));
            }
        }
    }

    /// <summary>Oldest first; ties broken by node and id, so every node ranks alike.</summary>
    private static int BySince(SessionEntry a, SessionEntry b) =>
        a.SinceUnixMs != b.SinceUnixMs ? a.SinceUnixMs.CompareTo(b.SinceUnixMs)
        : string.CompareOrdinal(a.Node, b.Node) is var byNode and not 0 ? byNode
        : a.ConnectionId.CompareTo(b.ConnectionId);

    private void OnTick()
    {
        ExpireRevokes();
        _metrics.SetClusterSessions(_local.Count + _remote.Values.Sum(n => n.Count));
        if (_added.Count == 0 && _removed.Count == 0)
        {
            return;
        }

        if (_peers.Count > 0)
        {
            List<List<SessionEntry>> added = Chunks([.. _added.Values]);
            List<long[]> removed = [.. _removed.Chunk(MaxMessageBytes / sizeof(long))];
            for (int i = 0; i < Math.Max(added.Count, removed.Count); i++)
            {
                _peers.Tell(new SessionDelta(i < added.Count ? added[i] : [], i < removed.Count ? removed[i] : []), Self);
            }
        }

        _added = [];
        _removed = [];
    }

    private void OnMemberEvent(ClusterEvent.IMemberEvent e)
    {
        Member member = e.Member;
        if (member.Address.Equals(_cluster!.SelfAddress))
        {
            return;
        }

        switch (_peers.Apply(member))
        {
            case PeerChange.Gone:
                if (_remote.Remove(member.Address, out Dictionary<long, SessionEntry>? gone))
                {
                    _log.LogInformation("The session registry forgets the {Sessions} sessions of {Node}: {Status}", gone.Count, NodeName(member.Address), member.Status);
                    Forget(gone);
                }

                ForgetRevokeConfirmation(member.Address);
                break;
            case PeerChange.New:
                // Pulled rather than pushed: this registry exists by now, the other's may not yet (then it had no sessions, and pulls ours when it starts).
                _ = ViewOf(member.Address);
                _peers.All[member.Address].Actor.Tell(SessionSnapshotRequest.Instance, Self);
                break;
        }
    }

    private void SendSnapshot(IActorRef peer)
    {
        Revocation[] revocations = [.. _revoked.Where(r => r.Value > Now).Select(r => new Revocation(r.Key, r.Value))];
        List<List<SessionEntry>> chunks = Chunks([.. _local.Values.Select(l => l.Entry)]);
        for (int i = 0; i < chunks.Count; i++)
        {
            peer.Tell(new SessionSnapshot(chunks[i], i == 0 ? revocations : [], First: i == 0, Last: i == chunks.Count - 1), Self);
        }
    }

    /// <summary>Entries in messages of at most <see cref="MaxMessageBytes"/> as the serializer writes them; at least one (maybe empty) message.</summary>
    private static List<List<SessionEntry>> Chunks(IReadOnlyList<SessionEntry> entries)
    {
        var chunks = new List<List<SessionEntry>> { new() };
        int bytes = 0;
        foreach (SessionEntry entry in entries)
        {
            int size = 32 + System.Text.Encoding.UTF8.GetByteCount(entry.Node) + System.Text.Encoding.UTF8.GetByteCount(entry.Principal)
                + System.Text.Encoding.UTF8.GetByteCount(entry.Listener) + System.Text.Encoding.UTF8.GetByteCount(entry.Remote);
            if (bytes + size > MaxMessageBytes && chunks[^1].Count > 0)
            {
                chunks.Add([]);
                bytes = 0;
            }

            chunks[^1].Add(entry);
            bytes += size;
        }

        return chunks;
    }

    private static string NodeName(Address address) => $"{address.Host}:{address.Port}";

    private sealed record Tick
    {
        public static readonly Tick Instance = new();
    }
}
