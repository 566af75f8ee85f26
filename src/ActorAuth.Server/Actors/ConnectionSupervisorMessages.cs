using ActorAuth.Security;
using ActorAuth.Server.Tcp;

namespace ActorAuth.Server.Actors;

/// <summary>The TCP stage accepted a connection: start its handshake.</summary>
public sealed record ConnectionAccepted(ClientConnection Connection);

/// <summary>
/// A handshake completed with mutual authentication: the security context's ownership moves with this
/// message from the handshake actor to the session actor the supervisor starts.
/// </summary>
public sealed record HandshakeSucceeded(
    ClientConnection Connection,
    ServerSecurityContext SecurityContext,
    string ClientPrincipal,
    TimeSpan Duration);
