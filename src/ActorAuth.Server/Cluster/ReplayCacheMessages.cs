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

/// <summary>A node asks another's replica to record a tag, or say it had it.</summary>
public sealed record ReplayCheck(long Id, ReplayTag Tag, long Expiry) : IClusterMessage;

/// <summary>A replica's answer to <see cref="ReplayCheck"/>.</summary>
public sealed record ReplayVote(long Id, ReplayVerdict Verdict) : IClusterMessage;

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
