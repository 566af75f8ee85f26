using System.Net;
using ActorAuth.Security;

namespace ActorAuth.Client.Http;

/// <summary>
/// An HTTP server answered a Negotiate-authenticated request without proving it holds the SPN's keys: its final
/// response carried no <c>WWW-Authenticate: Negotiate</c> token, or one that does not verify. The response was
/// disposed unread: whoever sent it may not be the server asked for.
/// </summary>
public sealed class MutualAuthenticationException : HttpRequestException
{
    /// <summary>Creates the exception for a response of <paramref name="status"/> from <paramref name="serverPrincipal"/>.</summary>
    public MutualAuthenticationException(string message, HttpStatusCode status, string serverPrincipal, SecurityStatus? securityStatus = null)
        : base(message, null, status)
    {
        ServerPrincipal = serverPrincipal;
        SecurityStatus = securityStatus;
    }

    /// <summary>The SPN the server failed to prove.</summary>
    public string ServerPrincipal { get; }

    /// <summary>What the security package said of the server's token; null when there was no token.</summary>
    public SecurityStatus? SecurityStatus { get; }
}
