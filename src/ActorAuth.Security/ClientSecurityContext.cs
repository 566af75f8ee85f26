namespace ActorAuth.Security;

/// <summary>
/// The client's side of one security context: <see cref="Initialize"/> is the seed's
/// InitializeSecurityContext. Mutual authentication is always requested and checked: a context in which
/// the service did not prove itself is a failure, never a success.
/// </summary>
public sealed class ClientSecurityContext : SecurityContext
{
    private readonly ClientContextOptions _options;

    /// <summary>Creates a context that will authenticate to <see cref="ClientContextOptions.TargetName"/>.</summary>
    /// <exception cref="ArgumentException">The package is unknown.</exception>
    public ClientSecurityContext(ClientContextOptions options, SecurityProvider provider = SecurityProvider.Auto)
        : base(SecurityProviders.CreateClient(Validated(options), provider)) => _options = options;

    /// <summary>A context over <paramref name="pal"/>, made by a <see cref="ClientCredential"/>.</summary>
    internal ClientSecurityContext(SecurityContextPal pal, ClientContextOptions options)
        : base(pal) => _options = options;

    /// <summary>The SPN this context authenticates to.</summary>
    public string TargetName => _options.TargetName;

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

        if (ProtectionLevel < _options.RequiredProtectionLevel)
        {
            return new(SecurityStatusCode.SecurityQosFailed, $"the context provides {ProtectionLevel}, below the required {_options.RequiredProtectionLevel}");
        }

        return status;
    }

    private static ClientContextOptions Validated(ClientContextOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.TargetName);
        return options with { Package = SecurityPackages.Canonical(options.Package) };
    }
}
