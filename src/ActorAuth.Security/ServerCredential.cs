namespace ActorAuth.Security;

/// <summary>
/// The service's inbound credential (the seed's AcquireCredentialsHandle with SECPKG_CRED_INBOUND): its
/// keys come from the keytab named by <c>KRB5_KTNAME</c> on Linux, the service account on Windows.
/// <see cref="Acquire"/> checks the keytab is readable so that a misconfigured service refuses to start
/// instead of failing every client.
/// </summary>
public sealed class ServerCredential
{
    private ServerCredential(ServerCredentialOptions options) => Options = options;

    /// <summary>The requirements every context created from this credential enforces.</summary>
    public ServerCredentialOptions Options { get; }

    /// <summary>Validates the options and the keytab, and returns the credential.</summary>
    /// <exception cref="SecurityPackageException">The package is unknown or the keytab is missing or unreadable.</exception>
    public static ServerCredential Acquire(ServerCredentialOptions options)
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

        return new ServerCredential(options with { Package = package });
    }

    /// <summary>Creates a fresh context for one connection; the caller owns and disposes it.</summary>
    public ServerSecurityContext CreateContext() => new(Options);
}
