namespace ActorAuth.Security;

/// <summary>
/// The service's inbound credential (the seed's AcquireCredentialsHandle with SECPKG_CRED_INBOUND): its
/// keys come from the keytab named by <c>KRB5_KTNAME</c> on Linux, the service account on Windows.
/// <see cref="Acquire"/> checks the keytab is readable so that a misconfigured service refuses to start
/// instead of failing every client. Dispose it after the last context made from it.
/// </summary>
public sealed class ServerCredential : IDisposable
{
    private readonly IServerContextFactory _factory;
    private readonly ServerCredentialOptions[] _requirements;

    private ServerCredential(ServerCredentialOptions options, SecurityProvider provider, IServerContextFactory factory)
    {
        Options = options;
        Provider = provider;
        _factory = factory;
        // Every combination made once, indexed by RequirementIndex: contexts are made per connection.
        _requirements = [.. from level in Enum.GetValues<System.Net.Security.ProtectionLevel>()
                            from mutual in new[] { false, true }
                            from protectsMessages in new[] { false, true }
                            orderby RequirementIndex(level, mutual, protectsMessages)
                            select options with
                            {
                                RequiredProtectionLevel = level,
                                RequireMutualAuthentication = mutual,
                                MessageProtection = protectsMessages ? options.MessageProtection : MessageProtection.GssApi,
                            }];
    }

    /// <summary>The requirements every context created from this credential enforces.</summary>
    public ServerCredentialOptions Options { get; }

    /// <summary>The implementation in use (never <see cref="SecurityProvider.Auto"/>).</summary>
    public SecurityProvider Provider { get; }

    /// <summary>Validates the options and the keytab, and acquires the credential.</summary>
    /// <exception cref="SecurityPackageException">The package is unknown, the provider unavailable, or the keytab missing or unreadable.</exception>
    public static ServerCredential Acquire(ServerCredentialOptions options, SecurityProvider provider = SecurityProvider.Auto)
    {
        ArgumentNullException.ThrowIfNull(options);
        string package;
        try
        {
            package = SecurityPackages.Canonical(options.Package);
        }
        catch (ArgumentException e)
        {
            throw new SecurityPackageException(e.Message, e);
        }

        if (!OperatingSystem.IsWindows())
        {
            Keytab.EnsureReadable();
        }

        options = options with { Package = package };
        SecurityProvider resolved = SecurityProviders.Resolve(provider);
        return new ServerCredential(options, resolved, SecurityProviders.CreateServerFactory(options, resolved));
    }

    /// <summary>Creates a fresh context for one connection; the caller owns and disposes it.</summary>
    public ServerSecurityContext CreateContext() => new(_factory.CreateContext(Options), Options);

    /// <summary>
    /// Creates a context that requires <paramref name="requiredProtectionLevel"/> and, if <paramref name="requireMutualAuthentication"/>,
    /// mutual authentication, rather than the credential's own: one credential serves listeners with different
    /// requirements. Without <paramref name="protectsMessages"/> (HTTP, which protects nothing after the handshake)
    /// the context stays with the platform's library, so completing it exports and derives no message keys.
    /// The caller owns and disposes it.
    /// </summary>
    public ServerSecurityContext CreateContext(System.Net.Security.ProtectionLevel requiredProtectionLevel, bool requireMutualAuthentication = true, bool protectsMessages = true)
    {
        ServerCredentialOptions requirements = _requirements[RequirementIndex(requiredProtectionLevel, requireMutualAuthentication, protectsMessages)];
        return new(_factory.CreateContext(requirements), requirements);
    }

    private static int RequirementIndex(System.Net.Security.ProtectionLevel level, bool mutual, bool protectsMessages) =>
        ((((int)level * 2) + (mutual ? 1 : 0)) * 2) + (protectsMessages ? 1 : 0);

    /// <inheritdoc />
    public void Dispose() => _factory.Dispose();
}
