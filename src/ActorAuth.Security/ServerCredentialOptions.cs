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
}
