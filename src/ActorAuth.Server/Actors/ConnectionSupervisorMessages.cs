using ActorAuth.Security;
using ActorAuth.Server.Sessions;
using ActorAuth.Server.Tcp;

namespace ActorAuth.Server.Actors;

/// <summary>A listener accepted a connection (TCP) or a request that opens a context (HTTP): start its handshake with that listener's settings and credential.</summary>
public sealed record ConnectionAccepted(IHandshakeChannel Connection, SessionSettings Settings, ServerCredential Credential);

/// <summary>
/// A handshake completed with mutual authentication: the security context's ownership moves with this
/// message from the handshake actor to the session actor the supervisor starts.
/// </summary>
public sealed record HandshakeSucceeded(
    IHandshakeChannel Connection,
    SessionSettings Settings,
    ServerSecurityContext SecurityContext,
    string ClientPrincipal,
    TimeSpan Duration);
