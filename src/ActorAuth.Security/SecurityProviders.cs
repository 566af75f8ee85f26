using System.Runtime.InteropServices;

namespace ActorAuth.Security;

/// <summary>Chooses the implementation behind a context: the one place that knows which providers exist.</summary>
internal static class SecurityProviders
{
    /// <summary>The provider <see cref="SecurityProvider.Auto"/> stands for on this machine.</summary>
    /// <exception cref="SecurityPackageException">GSSAPI was asked for on a machine without MIT's libgssapi_krb5.</exception>
    public static SecurityProvider Resolve(SecurityProvider requested) => requested switch
    {
        SecurityProvider.Auto => GssApiAvailability.IsAvailable ? SecurityProvider.GssApi : SecurityProvider.NegotiateAuthentication,
        SecurityProvider.GssApi when !GssApiAvailability.IsAvailable => throw new SecurityPackageException(OperatingSystem.IsWindows()
            ? "The GSSAPI security provider is not available on Windows; use NegotiateAuthentication (SSPI)."
            : $"The GSSAPI security provider needs MIT Kerberos's {GssApi.LibraryName}, which cannot be loaded: install libgssapi-krb5-2 (Debian/Ubuntu) or krb5-libs (RHEL/Fedora)."),
        _ => requested,
    };

    public static SecurityContextPal CreateClient(ClientContextOptions options, SecurityProvider provider) => Resolve(provider) switch
    {
        SecurityProvider.NegotiateAuthentication => NegotiateAuthenticationPal.CreateClient(options),
        SecurityProvider.GssApi => GssApiPal.CreateClient(options),
        var other => throw new SecurityPackageException($"The security provider '{other}' is not available on this platform."),
    };

    /// <summary>Creates the factory of server contexts; for GSSAPI this acquires the acceptor credential once.</summary>
    public static IServerContextFactory CreateServerFactory(ServerCredentialOptions options, SecurityProvider provider) => Resolve(provider) switch
    {
        // Refused rather than ignored: forward-whoami would otherwise fail for every client that does not delegate.
        SecurityProvider.NegotiateAuthentication when options.ConstrainedDelegationAccount is not null => throw new SecurityPackageException(
            "Constrained delegation (a constrained-delegation account) needs the GSSAPI security provider; with SSPI/NegotiateAuthentication it is configured on the service account in the directory instead."),
        SecurityProvider.NegotiateAuthentication => new NegotiateAuthenticationServerFactory(),
        SecurityProvider.GssApi => new GssApiAcceptorCredential(options),
        var other => throw new SecurityPackageException($"The security provider '{other}' is not available on this platform."),
    };

    /// <summary>Creates the factory of client contexts; for GSSAPI this reads the tickets once.</summary>
    public static IClientContextFactory CreateClientFactory(ClientCredentialOptions options, SecurityProvider provider, TimeProvider time) => Resolve(provider) switch
    {
        SecurityProvider.NegotiateAuthentication when options.TicketCache is not null => throw new SecurityPackageException(
            $"The NegotiateAuthentication provider reads only the process's default ticket cache, not '{options.TicketCache}': set KRB5CCNAME before the process starts, or use the GSSAPI provider."),
        SecurityProvider.NegotiateAuthentication => new NegotiateAuthenticationClientFactory(),
        SecurityProvider.GssApi => new GssApiInitiatorCredential(options, time),
        var other => throw new SecurityPackageException($"The security provider '{other}' is not available on this platform."),
    };

    /// <summary>Whether MIT's libgssapi_krb5 loads here; probed once, on first use.</summary>
    private static class GssApiAvailability
    {
        public static readonly bool IsAvailable = !OperatingSystem.IsWindows() && NativeLibrary.TryLoad(GssApi.LibraryName, out _);
    }

    private sealed class NegotiateAuthenticationServerFactory : IServerContextFactory
    {
        public SecurityContextPal CreateContext(ServerCredentialOptions requirements) => NegotiateAuthenticationPal.CreateServer(requirements);

        public void Dispose() { }
    }
}

/// <summary>NegotiateAuthentication has no shared credential: each context acquires its own.</summary>
internal sealed class NegotiateAuthenticationClientFactory : IClientContextFactory
{
    public string? Principal => null;

    public DateTimeOffset? ExpiresAt => null;

    public SecurityContextPal CreateContext(ClientContextOptions options) => NegotiateAuthenticationPal.CreateClient(options);

    public void Dispose() { }
}

/// <summary>Makes server-side contexts from one (possibly native) acceptor credential.</summary>
internal interface IServerContextFactory : IDisposable
{
    /// <summary>A context over the shared credential with <paramref name="options"/>' requirements (the credential's own or a listener's).</summary>
    SecurityContextPal CreateContext(ServerCredentialOptions options);
}
