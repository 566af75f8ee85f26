using ActorAuth.Security.Kerberos;

namespace ActorAuth.Server.Cluster;

/// <summary>Marks the messages nodes exchange; <see cref="ClusterMessageSerializer"/> writes them.</summary>
public interface IClusterMessage;

/// <summary>A handshake asks its node's <see cref="ReplayCacheActor"/> whether a token's authenticator is new to the cluster.</summary>
/// <param name="Tag">The authenticator's replay tag.</param>
/// <param name="ServerPrincipal">The ticket's server, for the log line of a replay.</param>
public sealed record CheckToken(ReplayTag Tag, string ServerPrincipal);

/// <summary>The cluster's answer to a <see cref="CheckToken"/>.</summary>
public enum TokenCheck
{
    /// <summary>A majority of the nodes recorded it as new: go on.</summary>
    Fresh,

    /// <summary>Some node had seen it: refuse with reason <c>replay</c>.</summary>
    Replayed,

    /// <summary>No majority answered in time (or the ones that did could not vouch): refuse or accept by configuration.</summary>
    Unavailable,
}

/// <summary>The answer to <see cref="CheckToken"/>, with what the log should say.</summary>
public sealed record TokenChecked(TokenCheck Result, string Detail);

/// <summary>One check a node asks another's replica: record the tag until the expiry, or say it had it.</summary>
public readonly record struct ReplayCheck(long Id, ReplayTag Tag, long Expiry);

/// <summary>A replica's answer to one <see cref="ReplayCheck"/>.</summary>
public readonly record struct ReplayVote(long Id, ReplayVerdict Verdict);

/// <summary>
/// The checks a node's handshakes asked for since its last batch, sent to every other replica as one message: under
/// load a remote message costs tens of µs of CPU at each end whatever it carries, so checks travel together.
/// </summary>
public sealed record ReplayChecks(IReadOnlyList<ReplayCheck> Checks) : IClusterMessage;

/// <summary>A replica's votes on one <see cref="ReplayChecks"/>, in one message.</summary>
public sealed record ReplayVotes(IReadOnlyList<ReplayVote> Votes) : IClusterMessage;

/// <summary>A replica that joins asks each other for its entries.</summary>
public sealed record ReplaySnapshotRequest : IClusterMessage
{
    /// <summary>The one instance.</summary>
    public static readonly ReplaySnapshotRequest Instance = new();
}

/// <summary>Part of a replica's entries; the last part says so.</summary>
public sealed record ReplaySnapshotChunk(IReadOnlyList<(ReplayTag Tag, long Expiry)> Entries, bool Last) : IClusterMessage;

/// <summary>Start-up asks the replica to answer (with this message) once it votes; the node serves only then.</summary>
public sealed record AwaitReplayReady
{
    /// <summary>The one instance.</summary>
    public static readonly AwaitReplayReady Instance = new();
}
