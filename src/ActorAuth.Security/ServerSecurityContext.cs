using System.Net.Security;

namespace ActorAuth.Security;

/// <summary>
/// The service's side of one security context: <see cref="Accept"/> is the seed's AcceptSecurityContext.
/// Created by <see cref="ServerCredential.CreateContext"/>.
/// </summary>
public sealed class ServerSecurityContext : SecurityContext
{
    private readonly ServerCredentialOptions _options;

    internal ServerSecurityContext(ServerCredentialOptions options)
        : base(new NegotiateAuthentication(new NegotiateAuthenticationServerOptions
        {
            Package = options.Package,
            RequiredProtectionLevel = options.RequiredProtectionLevel,
        })) => _options = options;

    /// <summary>
    /// Accepts one client token. On <see cref="SecurityStatusCode.ContinueNeeded"/> or completion, send
    /// <paramref name="outputToken"/> if it is not null. A context that completes without mutual
    /// authentication (when required) or below the required protection level is refused with
    /// <see cref="SecurityStatusCode.SecurityQosFailed"/>, as the seed's ASC_RET_MUTUAL_AUTH check intends;
    /// its output token is then withheld, so the client never completes.
    /// </summary>
    public SecurityStatus Accept(ReadOnlySpan<byte> inputToken, out byte[]? outputToken)
    {
        SecurityStatus status = Step(inputToken, out outputToken);
        if (status.Code != SecurityStatusCode.Completed)
        {
            return status;
        }

        ContextAttributes attributes = Attributes;
        if (_options.RequireMutualAuthentication && !attributes.HasFlag(ContextAttributes.MutualAuthentication))
        {
            outputToken = null;
            return new(SecurityStatusCode.SecurityQosFailed, "the client did not request mutual authentication, which this service requires");
        }

        if (ProtectionLevel < _options.RequiredProtectionLevel)
        {
            outputToken = null;
            return new(SecurityStatusCode.SecurityQosFailed, $"the context provides {ProtectionLevel}, below the required {_options.RequiredProtectionLevel}");
        }

        return status;
    }

    /// <summary>The authenticated client's principal name (e.g. alice@ACTORAUTH.TEST). Only valid once completed.</summary>
    public string ClientPrincipal => IsCompleted
        ? Authentication.RemoteIdentity.Name ?? string.Empty
        : throw new InvalidOperationException("The client is not authenticated until the context completes.");
}
