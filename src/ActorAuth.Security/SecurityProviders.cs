namespace ActorAuth.Security;

/// <summary>Chooses the implementation behind a context: the one place that knows which providers exist.</summary>
internal static class SecurityProviders
{
    /// <summary>The provider <see cref="SecurityProvider.Auto"/> stands for on this machine.</summary>
    public static SecurityProvider Resolve(SecurityProvider requested) => requested switch
    {
        SecurityProvider.Auto => SecurityProvider.NegotiateAuthentication,
        _ => requested,
    };

    public static SecurityContextPal CreateClient(ClientContextOptions options, SecurityProvider provider) => Resolve(provider) switch
    {
        SecurityProvider.NegotiateAuthentication => NegotiateAuthenticationPal.CreateClient(options),
        var other => throw new SecurityPackageException($"The security provider '{other}' is not available on this platform."),
    };

    /// <summary>Creates the factory of server contexts; for GSSAPI this acquires the acceptor credential once.</summary>
    public static IServerContextFactory CreateServerFactory(ServerCredentialOptions options, SecurityProvider provider) => Resolve(provider) switch
    {
        SecurityProvider.NegotiateAuthentication => new NegotiateAuthenticationServerFactory(options),
        var other => throw new SecurityPackageException($"The security provider '{other}' is not available on this platform."),
    };

    private sealed class NegotiateAuthenticationServerFactory(ServerCredentialOptions options) : IServerContextFactory
    {
        public SecurityContextPal CreateContext() => NegotiateAuthenticationPal.CreateServer(options);

        public void Dispose() { }
    }
}

/// <summary>Makes server-side contexts from one (possibly native) acceptor credential.</summary>
internal interface IServerContextFactory : IDisposable
{
    SecurityContextPal CreateContext();
}
