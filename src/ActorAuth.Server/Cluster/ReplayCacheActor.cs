using ActorAuth.Server.Metrics;
using Akka.Actor;
using Akka.Cluster;
using Microsoft.Extensions.Logging;

namespace ActorAuth.Server.Cluster;

/// <summary>
/// This node's replica of the cluster-wide replay cache, and the coordinator of its own handshakes' checks. A
/// <see cref="CheckToken"/> is sent to every member's replica (this one answers at once); the token is fresh when a
/// majority of the members that are not down recorded it as new, and a replay as soon as one had seen it. Any two
/// majorities share a node, so a tag accepted once is refused by every later majority — on any node, and after any
/// one node dies, since a dead node's entries are also held by the rest of the majority that recorded them. A
/// replica that joins copies every other replica's entries before it votes (else a node restarted empty could form a
/// majority with one that never saw the tag). No majority in time: <see cref="TokenCheck.Unavailable"/>.
/// docs/CLUSTER.md has the reasoning.
/// </summary>
public sealed class ReplayCacheActor : ReceiveActor, IWithTimers
{
    /// <summary>The actor's name under /user on every node: peers address each other by it.</summary>
    public const string Name = "actorauth-replay";

    private const int ChunkSize = 2_000;

    /// <summary>Checks per message at most: 32 bytes each, well under Akka.Remote's 128,000-byte frame.</summary>
    private const int MaxBatch = 1_500;
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan SyncTimeout = TimeSpan.FromSeconds(10);

    private readonly ClusterSettings _settings;
    private readonly ClusterMetrics _metrics;
    private readonly ILogger _log;
    private readonly ReplayStore _store;
    private readonly Akka.Cluster.Cluster _cluster;
    private readonly ClusterPeers _peers;
    private readonly Dictionary<long, PendingCheck> _pending = [];
    private readonly HashSet<Address> _syncingFrom = [];
    private readonly List<IActorRef> _awaitingReady = [];
    private List<ReplayCheck> _outbox = [];
    private bool _up;
    private bool _ready;
    private long _syncDeadline;
    private long _nextId;
    private ICancelable? _tick;

    /// <summary>Creates the replica; it joins in when this node is Up.</summary>
    public ReplayCacheActor(ClusterSettings settings, ClusterMetrics metrics, ILogger log)
    {
        _settings = settings;
        _metrics = metrics;
        _log = log;
        _store = new ReplayStore(settings.ReplayMaxEntries);
        _cluster = Akka.Cluster.Cluster.Get(Context.System);
        _peers = new ClusterPeers(Context.System, Name);
        metrics.ObserveReplayEntries(() => _store.Count);

        Receive<CheckToken>(OnCheckToken);
        Receive<ReplayChecks>(OnPeerChecks);
        Receive<ReplayVotes>(votes =>
        {
            foreach (ReplayVote vote in votes.Votes)
            {
                OnVote(vote);
            }
        });
        Receive<FlushChecks>(_ => Flush());
        Receive<ReplaySnapshotRequest>(_ => SendSnapshot(Sender));
        Receive<ReplaySnapshotChunk>(OnSnapshotChunk);
        Receive<ClusterEvent.IMemberEvent>(OnMemberEvent);
        Receive<Tick>(_ => OnTick());
        Receive<AwaitReplayReady>(_ =>
        {
            if (_ready)
            {
                Sender.Tell(AwaitReplayReady.Instance);
            }
            else
            {
                _awaitingReady.Add(Sender);
            }
        });
    }

    /// <summary>Props for the replica.</summary>
    public static Props Props(ClusterSettings settings, ClusterMetrics metrics, ILogger log) =>
        Akka.Actor.Props.Create<ReplayCacheActor>(settings, metrics, log);

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Whether this replica votes: Up and done copying the others' entries.</summary>
    public bool IsReady => _ready;

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <inheritdoc />
    protected override void PreStart()
    {
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent));
        _tick = Context.System.Scheduler.ScheduleTellRepeatedlyCancelable(TickInterval, TickInterval, Self, Tick.Instance, ActorRefs.NoSender);
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        _tick?.Cancel();
        _cluster.Unsubscribe(Self);
        foreach (PendingCheck pending in _pending.Values)
        {
            pending.ReplyTo.Tell(new TokenChecked(TokenCheck.Unavailable, "the replay cache stopped"));
        }
    }

    private void OnCheckToken(CheckToken check)
    {
        if (!_ready)
        {
            Answer(Sender, TokenCheck.Unavailable, _up ? "this node is still copying the replay cache from the others" : "this node is not Up in the cluster");
            return;
        }

        long now = Now;
        long expiry = now + (long)_settings.ReplayWindow.TotalMilliseconds;
        ReplayVerdict own = _store.TryInsert(check.Tag, expiry, now);
        if (own == ReplayVerdict.Seen)
        {
            Answer(Sender, TokenCheck.Replayed, "this node had seen it");
            return;
        }

        // Every member not down or removed counts, an unreachable one too, so a partition cannot shrink the majority.
        int voters = 1 + _peers.Count;
        var pending = new PendingCheck(Sender, voters / 2 + 1, voters, now + (long)_settings.ReplayTimeout.TotalMilliseconds)
        {
            Fresh = own == ReplayVerdict.FirstSeen ? 1 : 0,
            Outstanding = voters - 1,
        };
        if (!Decide(pending, out _))
        {
            long id = ++_nextId;
            _pending[id] = pending;
            _outbox.Add(new ReplayCheck(id, check.Tag, expiry));
            if (_outbox.Count == 1)
            {
                // The checks that come within the batch window go in one message (with no window: those already in the mailbox).
                if (_settings.ReplayBatchWindow > TimeSpan.Zero)
                {
                    Timers.StartSingleTimer(FlushChecks.Instance, FlushChecks.Instance, _settings.ReplayBatchWindow);
                }
                else
                {
                    Self.Tell(FlushChecks.Instance);
                }
            }
            else if (_outbox.Count >= MaxBatch)
            {
                Timers.Cancel(FlushChecks.Instance);
                Flush();
            }
        }
    }

    private void Flush()
    {
        if (_outbox.Count > 0)
        {
            _peers.Tell(new ReplayChecks(_outbox), Self);
            _outbox = new List<ReplayCheck>(_outbox.Count);
        }
    }

    private void OnPeerChecks(ReplayChecks checks)
    {
        long now = Now;
        var votes = new ReplayVote[checks.Checks.Count];
        for (int i = 0; i < votes.Length; i++)
        {
            ReplayCheck check = checks.Checks[i];
            ReplayVerdict verdict = _store.TryInsert(check.Tag, check.Expiry, now);
            // A replica still copying has recorded the tag but cannot say it is new to the cluster.
            votes[i] = new ReplayVote(check.Id, _ready || verdict == ReplayVerdict.Seen ? verdict : ReplayVerdict.NotReady);
        }

        Sender.Tell(new ReplayVotes(votes), Self);
    }

    private void OnVote(ReplayVote vote)
    {
        if (!_pending.TryGetValue(vote.Id, out PendingCheck? pending))
        {
            return; // decided already
        }

        pending.Outstanding--;
        switch (vote.Verdict)
        {
            case ReplayVerdict.Seen:
                pending.Seen = true;
                break;
            case ReplayVerdict.FirstSeen:
                pending.Fresh++;
                break;
            case ReplayVerdict.Full:
                pending.Full = true;
                break;
        }

        if (Decide(pending, out _))
        {
            _pending.Remove(vote.Id);
        }
    }

    /// <summary>Answers the handshake once the votes so far decide; false while they do not yet.</summary>
    private bool Decide(PendingCheck pending, out TokenCheck result)
    {
        if (pending.Seen)
        {
            result = TokenCheck.Replayed;
            Answer(pending.ReplyTo, result, "another node had seen it");
        }
        else if (pending.Fresh >= pending.Needed)
        {
            result = TokenCheck.Fresh;
            pending.ReplyTo.Tell(FreshAnswer);
            _metrics.ReplayChecked(result);
        }
        else if (pending.Fresh + pending.Outstanding < pending.Needed)
        {
            result = TokenCheck.Unavailable;
            Answer(pending.ReplyTo, result, $"{pending.Fresh} of {pending.Voters} nodes could vouch for it, {pending.Needed} must{(pending.Full ? " (a replica is full: replay-cache.max-entries)" : "")}");
        }
        else
        {
            result = default;
            return false;
        }

        return true;
    }

    private static readonly TokenChecked FreshAnswer = new(TokenCheck.Fresh, "");

    private void Answer(IActorRef replyTo, TokenCheck result, string detail)
    {
        _metrics.ReplayChecked(result);
        replyTo.Tell(new TokenChecked(result, detail));
    }

    private void OnTick()
    {
        long now = Now;
        _store.Prune(now);
        if (_pending.Count > 0)
        {
            List<long>? expired = null;
            foreach ((long id, PendingCheck pending) in _pending)
            {
                if (pending.Deadline <= now)
                {
                    (expired ??= []).Add(id);
                }
            }

            foreach (long id in expired ?? [])
            {
                PendingCheck pending = _pending[id];
                _pending.Remove(id);
                Answer(pending.ReplyTo, TokenCheck.Unavailable,
                    $"only {pending.Fresh} of {pending.Voters} nodes answered within {_settings.ReplayTimeout.TotalSeconds:0.###} s, {pending.Needed} must");
            }
        }

        if (!_ready && _up && now >= _syncDeadline)
        {
            _log.LogWarning("The replay cache stopped waiting for the entries of [{Peers}] after {Timeout}; it votes with what the others sent",
                string.Join(", ", _syncingFrom), SyncTimeout);
            BecomeReady();
        }
    }

    private void OnMemberEvent(ClusterEvent.IMemberEvent e)
    {
        Member member = e.Member;
        if (member.Address.Equals(_cluster.SelfAddress))
        {
            if (member.Status == MemberStatus.Up && !_up)
            {
                StartSync();
            }

            return;
        }

        if (_peers.Apply(member) == PeerChange.Gone && _syncingFrom.Remove(member.Address) && _syncingFrom.Count == 0 && _up && !_ready)
        {
            BecomeReady();
        }
    }

    private void StartSync()
    {
        _up = true;
        _syncDeadline = Now + (long)SyncTimeout.TotalMilliseconds;
        foreach ((Address address, (IActorRef replica, MemberStatus status)) in _peers.All)
        {
            if (status is MemberStatus.Up or MemberStatus.Leaving or MemberStatus.WeaklyUp)
            {
                _syncingFrom.Add(address);
                replica.Tell(ReplaySnapshotRequest.Instance, Self);
            }
        }

        if (_syncingFrom.Count == 0)
        {
            BecomeReady();
        }
        else
        {
            _log.LogInformation("The replay cache is copying the entries of [{Peers}] before it votes", string.Join(", ", _syncingFrom));
        }
    }

    private void OnSnapshotChunk(ReplaySnapshotChunk chunk)
    {
        long now = Now;
        foreach ((var tag, long expiry) in chunk.Entries)
        {
            _store.Merge(tag, expiry, now);
        }

        if (chunk.Last && _syncingFrom.Remove(Sender.Path.Address) && _syncingFrom.Count == 0 && !_ready)
        {
            BecomeReady();
        }
    }

    private void BecomeReady()
    {
        _ready = true;
        _syncingFrom.Clear();
        _awaitingReady.ForEach(waiting => waiting.Tell(AwaitReplayReady.Instance));
        _awaitingReady.Clear();
        _log.LogInformation("The replay cache votes: {Entries} entries, {Peers} other nodes", _store.Count, _peers.Count);
    }

    private void SendSnapshot(IActorRef to)
    {
        var chunk = new List<(Security.Kerberos.ReplayTag, long)>(ChunkSize);
        foreach ((Security.Kerberos.ReplayTag tag, long expiry) in _store.Entries(Now))
        {
            chunk.Add((tag, expiry));
            if (chunk.Count == ChunkSize)
            {
                to.Tell(new ReplaySnapshotChunk(chunk, Last: false), Self);
                chunk = new List<(Security.Kerberos.ReplayTag, long)>(ChunkSize);
            }
        }

        to.Tell(new ReplaySnapshotChunk(chunk, Last: true), Self);
    }

    private sealed class PendingCheck(IActorRef replyTo, int needed, int voters, long deadline)
    {
        public IActorRef ReplyTo { get; } = replyTo;
        public int Needed { get; } = needed;
        public int Voters { get; } = voters;
        public long Deadline { get; } = deadline;
        public int Fresh { get; set; }
        public int Outstanding { get; set; }
        public bool Seen { get; set; }
        public bool Full { get; set; }
    }

    private sealed record FlushChecks
    {
        public static readonly FlushChecks Instance = new();
    }

    private sealed record Tick
    {
        public static readonly Tick Instance = new();
    }
}
