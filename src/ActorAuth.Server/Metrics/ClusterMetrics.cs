using System.Diagnostics.Metrics;
using ActorAuth.Server.Cluster;

namespace ActorAuth.Server.Metrics;

/// <summary>
/// The cluster's instruments, on the server's meter: replay checks by result, handshakes accepted unchecked, the
/// replica's entries, the sessions the registry knows across the cluster, the members, revocations. Every node
/// exports its own; the <c>node</c> label (<see cref="ServerMetrics.Node"/>) tells them apart.
/// </summary>
public sealed class ClusterMetrics
{
    private static readonly string[] Results = [.. Enum.GetValues<TokenCheck>().Select(r => r.ToString().ToLowerInvariant())];

    private readonly Counter<long> _replayChecks;
    private readonly Counter<long> _unchecked;
    private readonly Counter<long> _revoked;
    private readonly Counter<long> _sessionsRefused;
    private readonly Meter _meter;
    private long _members;
    private long _clusterSessions;

    /// <summary>Creates the instruments on <paramref name="server"/>'s meter.</summary>
    public ClusterMetrics(ServerMetrics server)
    {
        _meter = server.Meter;
        _replayChecks = _meter.CreateCounter<long>("actorauth.cluster.replay.checks", description: "Cluster replay checks, tagged by result (fresh, replayed, unavailable).");
        _unchecked = _meter.CreateCounter<long>("actorauth.cluster.replay.unchecked", description: "Handshakes accepted without the cluster's replay check (replay-cache.when-unavailable = accept).");
        _revoked = _meter.CreateCounter<long>("actorauth.cluster.sessions.revoked", description: "Sessions this node ended because their principal was revoked.");
        _sessionsRefused = _meter.CreateCounter<long>("actorauth.cluster.sessions.refused", description: "Sessions refused or ended by the cluster, tagged by reason (revoked, session-limit).");
        _meter.CreateObservableUpDownCounter("actorauth.cluster.members", () => Interlocked.Read(ref _members), description: "Cluster members this node sees that are not down.");
        _meter.CreateObservableUpDownCounter("actorauth.cluster.sessions", () => Interlocked.Read(ref _clusterSessions), description: "Authenticated sessions across the cluster, as this node's registry knows them.");
    }

    /// <summary>Replay checks answered <see cref="TokenCheck.Replayed"/> since start.</summary>
    public long Replays => Interlocked.Read(ref _replays);

    private long _replays;

    internal void ReplayChecked(TokenCheck result)
    {
        if (result == TokenCheck.Replayed)
        {
            Interlocked.Increment(ref _replays);
        }

        _replayChecks.Add(1, new KeyValuePair<string, object?>("result", Results[(int)result]));
    }

    internal void AcceptedUnchecked() => _unchecked.Add(1);

    internal void SessionsRevoked(int count) => _revoked.Add(count);

    internal void SessionRefused(string reason) => _sessionsRefused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    internal void SetMembers(int members) => Interlocked.Exchange(ref _members, members);

    internal void SetClusterSessions(int sessions) => Interlocked.Exchange(ref _clusterSessions, sessions);

    internal void ObserveReplayEntries(Func<int> entries) =>
        _meter.CreateObservableUpDownCounter("actorauth.cluster.replay.entries", () => (long)entries(), description: "Entries this node's replay-cache replica holds.");
}
