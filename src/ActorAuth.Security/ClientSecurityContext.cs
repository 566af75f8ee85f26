using System.Net;
using System.Net.Security;
using System.Security.Principal;

namespace ActorAuth.Security;

/// <summary>
/// The client's side of one security context: <see cref="Initialize"/> is the seed's
/// InitializeSecurityContext. Mutual authentication is always requested and checked: a context in which
/// the service did not prove itself is a failure, never a success.
/// </summary>
public sealed class ClientSecurityContext : SecurityContext
{
    private readonly ProtectionLevel _requiredProtectionLevel;

    /// <summary>Creates a context that will authenticate to <paramref name="targetName"/> (an SPN such as <c>actorauth/localhost</c>).</summary>
    /// <param name="package">Negotiate or Kerberos.</param>
    /// <param name="targetName">The service principal name the service must prove it holds keys for.</param>
    /// <param name="credential">A user and password (a fresh ticket is requested from the KDC), or null for the ticket cache (<c>KRB5CCNAME</c>).</param>
    /// <param name="requiredProtectionLevel">The least protection the context must provide.</param>
    /// <param name="allowedImpersonationLevel">How far the client lets the service act as it.</param>
    public ClientSecurityContext(
        string package,
        string targetName,
        NetworkCredential? credential = null,
        ProtectionLevel requiredProtectionLevel = ProtectionLevel.EncryptAndSign,
        TokenImpersonationLevel allowedImpersonationLevel = TokenImpersonationLevel.Identification)
        : base(new NegotiateAuthentication(new NegotiateAuthenticationClientOptions
        {
            Package = SecurityPackages.Canonical(package),
            TargetName = targetName,
            Credential = credential ?? CredentialCache.DefaultNetworkCredentials,
            RequireMutualAuthentication = true,
            RequiredProtectionLevel = requiredProtectionLevel,
            AllowedImpersonationLevel = allowedImpersonationLevel,
        }))
    {
        TargetName = targetName;
        _requiredProtectionLevel = requiredProtectionLevel;
    }

    /// <summary>The SPN this context authenticates to.</summary>
    public string TargetName { get; }

    /// <summary>
    /// Processes the service's token (empty on the first leg). Send <paramref name="outputToken"/> if it is
    /// not null. On completion the service's proof is checked: without mutual authentication or below the
    /// required protection level the result is <see cref="SecurityStatusCode.SecurityQosFailed"/>.
    /// </summary>
    public SecurityStatus Initialize(ReadOnlySpan<byte> inputToken, out byte[]? outputToken)
    {
        SecurityStatus status = Step(inputToken, out outputToken);
        if (status.Code != SecurityStatusCode.Completed)
        {
            return status;
        }

        if (!Attributes.HasFlag(ContextAttributes.MutualAuthentication))
        {
            return new(SecurityStatusCode.SecurityQosFailed, $"the service did not prove it holds the keys of '{TargetName}' (no mutual authentication)");
        }

        if (ProtectionLevel < _requiredProtectionLevel)
        {
            return new(SecurityStatusCode.SecurityQosFailed, $"the context provides {ProtectionLevel}, below the required {_requiredProtectionLevel}");
        }

        return status;
    }
}
