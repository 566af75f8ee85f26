namespace ActorAuth.Server.Cluster;

/// <summary>One authenticated session as the registry lists it.</summary>
/// <param name="Node">The node serving it (<c>host:port</c> of its cluster address; the machine name with the cluster off).</param>
/// <param name="ConnectionId">The connection's id on that node (in its log lines).</param>
/// <param name="Principal">The authenticated client.</param>
/// <param name="Listener">The listener it came in on.</param>
/// <param name="Remote">The client's address (from the PROXY header behind a load balancer).</param>
/// <param name="SinceUnixMs">When it started, Unix milliseconds.</param>
public sealed record SessionEntry(string Node, long ConnectionId, string Principal, string Listener, string Remote, long SinceUnixMs);

/// <summary>A session actor asks to be admitted and listed; answered with <see cref="SessionAdmission"/>.</summary>
public sealed record RegisterSession(SessionEntry Entry);

/// <summary>The registry's answer: admitted, or refused with a reason (revoked, session-limit).</summary>
public sealed record SessionAdmission(bool Admitted, TeardownReason Reason, string Detail)
{
    /// <summary>Admitted.</summary>
    public static readonly SessionAdmission Yes = new(true, TeardownReason.Closed, "");
}

/// <summary>A session actor has stopped.</summary>
public sealed record SessionClosed(long ConnectionId);

/// <summary>The registry tells a session actor to end, e.g. revoked.</summary>
public sealed record EndSession(TeardownReason Reason, string Detail);

/// <summary>Lists the cluster's sessions, of one principal or all; answered with <see cref="SessionList"/>.</summary>
public sealed record ListSessions(string? Principal);

/// <summary>The sessions this node knows across the cluster, and the nodes it knows them from.</summary>
public sealed record SessionList(IReadOnlyList<SessionEntry> Sessions, IReadOnlyList<string> Nodes);

/// <summary>Ends every session of a principal on every node and refuses its handshakes for a while; answered with <see cref="RevokeResult"/>.</summary>
public sealed record RevokePrincipal(string Principal, string By);

/// <summary>What a revoke did: sessions ended per node, until when the principal is refused, the nodes that did not confirm in time.</summary>
public sealed record RevokeResult(string Principal, long UntilUnixMs, IReadOnlyDictionary<string, int> EndedByNode, IReadOnlyList<string> Unconfirmed);

/// <summary>A node's session changes since its last gossip.</summary>
public sealed record SessionDelta(IReadOnlyList<SessionEntry> Added, IReadOnlyList<long> Removed) : IClusterMessage;

/// <summary>A node's registry asks another for its sessions and revocations, when it first sees it.</summary>
public sealed record SessionSnapshotRequest : IClusterMessage
{
    /// <summary>The one instance.</summary>
    public static readonly SessionSnapshotRequest Instance = new();
}

/// <summary>Part of a node's sessions and revocations, for a node that asked; the first part replaces what the receiver knew of the sender.</summary>
public sealed record SessionSnapshot(IReadOnlyList<SessionEntry> Entries, IReadOnlyList<Revocation> Revocations, bool First, bool Last) : IClusterMessage;

/// <summary>A principal refused until a time (Unix milliseconds).</summary>
public sealed record Revocation(string Principal, long UntilUnixMs);

/// <summary>A node asks the others to end a principal's sessions and refuse it until a time.</summary>
public sealed record RevokeRequest(long Id, Revocation Revocation) : IClusterMessage;

/// <summary>A node's confirmation of a <see cref="RevokeRequest"/>, with how many sessions it ended.</summary>
public sealed record RevokeApplied(long Id, int Ended) : IClusterMessage;
