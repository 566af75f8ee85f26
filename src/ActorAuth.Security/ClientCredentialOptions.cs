using System.Net;

namespace ActorAuth.Security;

/// <summary>Where a <see cref="ClientCredential"/> takes its tickets from, and for which package.</summary>
public sealed record ClientCredentialOptions
{
    /// <summary>Negotiate (default) or Kerberos.</summary>
    public string Package { get; init; } = SecurityPackages.Negotiate;

    /// <summary>A user and password (a ticket-granting ticket is requested from the KDC now), or null for a ticket cache.</summary>
    public NetworkCredential? Credential { get; init; }

    /// <summary>
    /// The ticket cache to read, e.g. <c>FILE:/var/lib/app/krb5cc</c>; null for the default (<c>KRB5CCNAME</c>).
    /// GSSAPI provider only: with NegotiateAuthentication the cache is the process's default.
    /// </summary>
    public string? TicketCache { get; init; }
}
