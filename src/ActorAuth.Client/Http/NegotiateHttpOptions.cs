using System.Net;
using System.Security.Principal;
using ActorAuth.Security;

namespace ActorAuth.Client.Http;

/// <summary>How <see cref="NegotiateHttpHandler"/> authenticates requests (RFC 4559, HTTP Negotiate).</summary>
public sealed record NegotiateHttpOptions
{
    /// <summary>The SPN the server must prove it holds keys for; null (default) for <c>HTTP/&lt;host of the request URI&gt;</c>, as browsers and curl ask.</summary>
    public string? ServicePrincipalName { get; init; }

    /// <summary>Negotiate (default, SPNEGO) or Kerberos (raw RFC 4121 tokens, which Apache's mod_auth_gssapi also accepts).</summary>
    public string Package { get; init; } = SecurityPackages.Negotiate;

    /// <summary>A user name and password (a ticket is requested from the KDC per request), or null for the ticket cache (<c>KRB5CCNAME</c>).</summary>
    public NetworkCredential? Credential { get; init; }

    /// <summary>
    /// A credential acquired once (<see cref="ClientCredential.Acquire"/>) and shared by every request: the tickets
    /// are read once instead of per request. When set, the package is the credential's and <see cref="Credential"/>
    /// must be null. Not disposed by the handler.
    /// </summary>
    public ClientCredential? SharedCredential { get; init; }

    /// <summary>How far the server may act as the client; <see cref="TokenImpersonationLevel.Delegation"/> forwards the client's TGT (needs a forwardable ticket).</summary>
    public TokenImpersonationLevel ImpersonationLevel { get; init; } = TokenImpersonationLevel.Identification;

    /// <summary>The implementation of the security package (ignored with a <see cref="SharedCredential"/>).</summary>
    public SecurityProvider Provider { get; init; } = SecurityProvider.Auto;

    /// <summary>
    /// Send <c>Authorization: Negotiate</c> with the first request instead of waiting for the server's 401 challenge:
    /// one round trip less. Off by default, as curl and browsers do.
    /// </summary>
    public bool Preemptive { get; init; }

    /// <summary>Most requests sent with a token for one request (a Kerberos handshake needs one); a server still answering 401 with a token after that gets its 401 returned.</summary>
    public int MaxLegs { get; init; } = 4;
}
