using System.Net;
using System.Net.Security;
using System.Security.Principal;

namespace ActorAuth.Security;

/// <summary>What a client context asks for. Mutual authentication is always requested and required.</summary>
public sealed record ClientContextOptions
{
    /// <summary>Negotiate (default) or Kerberos.</summary>
    public string Package { get; init; } = SecurityPackages.Negotiate;

    /// <summary>The service principal name the service must prove it holds keys for, e.g. <c>actorauth/localhost</c>.</summary>
    public required string TargetName { get; init; }

    /// <summary>A user and password (a fresh ticket is requested from the KDC), or null for the ticket cache (<c>KRB5CCNAME</c>).</summary>
    public NetworkCredential? Credential { get; init; }

    /// <summary>The least protection the context must provide.</summary>
    public ProtectionLevel RequiredProtectionLevel { get; init; } = ProtectionLevel.EncryptAndSign;

    /// <summary>How far the client lets the service act as it.</summary>
    public TokenImpersonationLevel AllowedImpersonationLevel { get; init; } = TokenImpersonationLevel.Identification;

    /// <summary>Who protects messages once a GSSAPI-provider context completes; managed by default.</summary>
    public MessageProtection MessageProtection { get; init; } = MessageProtection.Managed;
}
