using ActorAuth.Actors;
using ActorAuth.Security;
using ActorAuth.Server.Metrics;
using Microsoft.Extensions.Logging;

namespace ActorAuth.Server.Actors;

/// <summary>
/// Parent of every connection's actors: a <see cref="HandshakeActor"/> per accepted connection, then a
/// <see cref="SessionActor"/> once it authenticates. A child that throws is stopped, never resumed or
/// restarted: a broken security context is not to be trusted again. The child's PostStop disposes the
/// context and closes the socket, so the live-context gauge returns to zero when the connections are gone.
/// </summary>
public sealed class ConnectionSupervisor : ReceiveActor
{
    private readonly ServerCredential _credential;
    private readonly ServerOptions _options;
    private readonly ServerMetrics _metrics;
    private readonly ILoggerFactory _loggers;

    /// <summary>Creates the supervisor; every child shares the credential, options and metrics.</summary>
    public ConnectionSupervisor(ServerCredential credential, ServerOptions options, ServerMetrics metrics, ILoggerFactory loggers)
    {
        _credential = credential;
        _options = options;
        _metrics = metrics;
        _loggers = loggers;

        Receive<ConnectionAccepted>(accepted => Context.ActorOf(
            ActorAuth.Actors.Props.Create(() => new HandshakeActor(accepted.Connection, _credential, _options, _metrics, _loggers.CreateLogger<HandshakeActor>())),
            $"handshake-{accepted.Connection.Id}"));

        Receive<HandshakeSucceeded>(succeeded => Context.ActorOf(
            ActorAuth.Actors.Props.Create(() => new SessionActor(succeeded, _options, _metrics, _loggers.CreateLogger<SessionActor>())),
            $"session-{succeeded.Connection.Id}"));
    }

    /// <summary>The props that create the supervisor.</summary>
    public static Props Props(ServerCredential credential, ServerOptions options, ServerMetrics metrics, ILoggerFactory loggers) =>
        ActorAuth.Actors.Props.Create(() => new ConnectionSupervisor(credential, options, metrics, loggers));

    /// <inheritdoc />
    protected override SupervisorStrategy SupervisorStrategy() => ActorAuth.Actors.SupervisorStrategy.StoppingStrategy;
}
