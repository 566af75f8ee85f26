namespace ActorAuth.Security;

/// <summary>
/// The service's side of one security context: <see cref="Accept"/> is the seed's AcceptSecurityContext.
/// Created by <see cref="ServerCredential.CreateContext"/>.
/// </summary>
public sealed class ServerSecurityContext : SecurityContext
{
    private readonly ServerCredentialOptions _options;

    internal ServerSecurityContext(SecurityContextPal pal, ServerCredentialOptions options)
        : base(pal) => _options = options;

    /// <summary>
    /// Accepts one client token. Send <paramref name="outputToken"/> if it is not null — also after a
    /// failure, when it carries the package's error token (a KRB-ERROR) for the client to name the reason.
    /// A context that completes without mutual authentication (when required) or below the required
    /// protection level is refused with <see cref="SecurityStatusCode.SecurityQosFailed"/>, as the seed's
    /// ASC_RET_MUTUAL_AUTH check intends. The context is still complete (<see cref="SecurityContext.IsCompleted"/>)
    /// and its final token is still returned, so the server can finish the handshake and tell the client,
    /// protected, why it is refused, before closing.
    /// </summary>
    public SecurityStatus Accept(ReadOnlySpan<byte> inputToken, out byte[]? outputToken)
    {
        SecurityStatus status = Step(inputToken, out outputToken);
        if (status.Code != SecurityStatusCode.Completed)
        {
            return status;
        }

        if (_options.RequireMutualAuthentication && !Attributes.HasFlag(ContextAttributes.MutualAuthentication))
        {
            return new(SecurityStatusCode.SecurityQosFailed, "the client did not request mutual authentication, which this service requires");
        }

        if (ProtectionLevel < _options.RequiredProtectionLevel)
        {
            return new(SecurityStatusCode.SecurityQosFailed, $"the context provides {ProtectionLevel}, below the required {_options.RequiredProtectionLevel}");
        }

        return status;
    }

    /// <summary>
    /// The credential the client delegated with this context (its forwarded TGT, when it set the delegation flag
    /// and its ticket was forwardable), as a client credential that authenticates <em>as the client</em>; the caller
    /// owns and disposes it. Null when the client delegated nothing, or when it was taken already. Only the GSSAPI
    /// provider returns one: .NET's NegotiateAuthentication drops it on Linux.
    /// </summary>
    public ClientCredential? TakeDelegatedCredential()
    {
        if (!IsCompleted)
        {
            throw new InvalidOperationException("A delegated credential exists only once the context completes.");
        }

        return Pal.TakeDelegatedCredential(SecurityPackages.Negotiate) is { } delegated
            ? ClientCredential.FromDelegated(delegated, SecurityPackages.Negotiate)
            : null;
    }

    /// <summary>The authenticated client's principal name (e.g. alice@ACTORAUTH.TEST). Only valid once completed.</summary>
    public string ClientPrincipal => RemotePrincipal;
}
