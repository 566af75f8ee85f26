using ActorAuth.Security;
using System.Net;
using System.Net.Security;
using System.Security.Principal;

namespace ActorAuth.Server.Sessions;

/// <summary>Who a session's client is, as the service established it, and how the session is protected.</summary>
/// <param name="ConnectionId">The server's id of the connection (in every log line about it).</param>
/// <param name="RemoteEndPoint">The client's address.</param>
/// <param name="ClientPrincipal">The authenticated client, e.g. alice@ACTORAUTH.TEST.</param>
/// <param name="ServicePrincipal">The SPN the service authenticated as.</param>
/// <param name="Package">The package the handshake used.</param>
/// <param name="ProtectionLevel">EncryptAndSign or Sign: how every message of the session is protected.</param>
/// <param name="ImpersonationLevel">What the client allowed the service to do as it.</param>
public sealed record SessionIdentity(
    long ConnectionId,
    EndPoint? RemoteEndPoint,
    string ClientPrincipal,
    string ServicePrincipal,
    string Package,
    ProtectionLevel ProtectionLevel,
    TokenImpersonationLevel ImpersonationLevel)
{
    /// <summary>The largest reply the session will carry (its listener's maximum message).</summary>
    public int MaxMessageLength { get; init; } = int.MaxValue;

    /// <summary>
    /// The context's platform token (Windows), given only to handlers that declare
    /// <see cref="TokenImpersonationLevel.Impersonation"/> or more; null otherwise and on Linux.
    /// </summary>
    public IIdentity? PlatformIdentity { get; init; }

    /// <summary>
    /// The credential the client delegated, owned by the session (released when it ends), given only to handlers that
    /// declare <see cref="TokenImpersonationLevel.Delegation"/>; null otherwise or when the client delegated none.
    /// Use it through <see cref="SessionDelegation.ConnectAsClientAsync"/>.
    /// </summary>
    public ClientCredential? DelegatedCredential { get; init; }

    /// <summary>The client's realm (the part after the last @), or empty.</summary>
    public string Realm => ClientPrincipal.LastIndexOf('@') is var at and >= 0 ? ClientPrincipal[(at + 1)..] : string.Empty;
}
