using System.Net.Security;

namespace ActorAuth.Security;

/// <summary>What the service requires of every inbound security context.</summary>
public sealed record ServerCredentialOptions
{
    /// <summary>The package to accept: <see cref="SecurityPackages.Negotiate"/> (default) or <see cref="SecurityPackages.Kerberos"/>.</summary>
    public string Package { get; init; } = SecurityPackages.Negotiate;

    /// <summary>The least protection a context must offer; EncryptAndSign by default.</summary>
    public ProtectionLevel RequiredProtectionLevel { get; init; } = ProtectionLevel.EncryptAndSign;

    /// <summary>Refuse contexts where the client did not ask the service to prove itself. On by default.</summary>
    public bool RequireMutualAuthentication { get; init; } = true;

    /// <summary>Who protects messages once a GSSAPI-provider context completes; managed by default.</summary>
    public MessageProtection MessageProtection { get; init; } = MessageProtection.Managed;

    /// <summary>
    /// Kerberos constrained delegation (S4U2Proxy): the service's own account principal, e.g.
    /// <c>svc-actorauth@REALM</c> (the account name, not an SPN: AD refuses an AS exchange for an SPN). When set, the
    /// GSSAPI acceptor credential also holds a TGT for this account, obtained from the keytab at start-up, so that
    /// every accepted context yields a credential that can act as the client towards the services the account is
    /// allowed to delegate to (msDS-AllowedToDelegateTo), even when the client forwarded no TGT. Only tickets for
    /// this account's keys are then accepted. Null (the default): off.
    /// </summary>
    public string? ConstrainedDelegationAccount { get; init; }
}
