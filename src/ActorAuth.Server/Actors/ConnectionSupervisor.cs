using ActorAuth.Server.Tcp;
using Akka.Actor;

namespace ActorAuth.Server.Actors;

/// <summary>
/// Parent of every connection's actors: a <see cref="HandshakeActor"/> per accepted connection (per context on an
/// HTTP listener), then a <see cref="SessionActor"/> once a TCP connection authenticates. A child that throws is stopped, never resumed or
/// restarted: a broken security context is not to be trusted again. The child's PostStop disposes the
/// context and closes the socket, so the live-context gauge returns to zero when the connections are gone.
/// </summary>
public sealed class ConnectionSupervisor : ReceiveActor
{
    /// <summary>Creates the supervisor of every listener's connections; each child has its listener's settings and credential.</summary>
    public ConnectionSupervisor()
    {
        Receive<ConnectionAccepted>(accepted => Context.ActorOf(
            DirectProducer<HandshakeActor>.Props(() => new HandshakeActor(accepted.Connection, accepted.Credential, accepted.Settings)),
            "handshake-" + accepted.Connection.Id));

        // Only TCP connections hand their context here (IHandshakeChannel.Authenticated); an HTTP request keeps its own.
        Receive<HandshakeSucceeded>(succeeded => Context.ActorOf(
            DirectProducer<SessionActor>.Props(() => new SessionActor(succeeded, (ClientConnection)succeeded.Connection, succeeded.Settings)),
            "session-" + succeeded.Connection.Id));
    }

    /// <summary>The props that create the supervisor.</summary>
    public static Props Props() => DirectProducer<ConnectionSupervisor>.Props(() => new ConnectionSupervisor());

    /// <inheritdoc />
    protected override SupervisorStrategy SupervisorStrategy() => Akka.Actor.SupervisorStrategy.StoppingStrategy;
}
