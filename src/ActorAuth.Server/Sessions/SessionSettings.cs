using ActorAuth.Protocol;
using ActorAuth.Server.Authorization;
using ActorAuth.Server.Metrics;
using Microsoft.Extensions.Logging;

namespace ActorAuth.Server.Sessions;

/// <summary>What the actors of one listener's connections share: options, the access policy, the handlers, metrics and logging.</summary>
/// <param name="Options">The listener's settings.</param>
/// <param name="Policy">The access check applied before a request reaches a handler.</param>
/// <param name="Handlers">The operations the server serves.</param>
/// <param name="Metrics">The server's instruments.</param>
/// <param name="Loggers">Where actors get their loggers.</param>
/// <param name="Kind">The listener's wire dialect.</param>
public sealed record SessionSettings(
    ServerOptions Options,
    AccessPolicy Policy,
    SessionHandlers Handlers,
    ServerMetrics Metrics,
    ILoggerFactory Loggers,
    WireDialect Kind = WireDialect.Sockauth)
{
    /// <summary>The session registry, revocations and (with the cluster on) the replay cache; null in specs that run a connection's actors alone.</summary>
    public Cluster.ClusterServices? Cluster { get; init; }

    /// <summary>How the listener's kind frames the handshake and the session.</summary>
    internal Dialects.ServerDialect Dialect { get; } = Dialects.ServerDialect.For(Kind);

    /// <summary>The handshake actors' logger, made once: a logger per actor would cost a factory lookup per connection.</summary>
    internal ILogger HandshakeLog { get; } = Loggers.CreateLogger<Actors.HandshakeActor>();

    /// <summary>The session actors' logger, made once.</summary>
    internal ILogger SessionLog { get; } = Loggers.CreateLogger<Actors.SessionActor>();
}
