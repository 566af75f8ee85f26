using System.Net;
using System.Net.Security;
using System.Security.Principal;

namespace ActorAuth.Security;

/// <summary>
/// A client's outbound credential (the seed's AcquireCredentialsHandle with SECPKG_CRED_OUTBOUND), acquired once
/// and shared by many contexts — what a client opening many connections should hold. With the GSSAPI provider the
/// tickets are read once (from the ticket cache, or an AS exchange with the password) and kept in memory, instead
/// of MIT reopening the cache file at every step; they are copied again from their source shortly before the TGT
/// expires. With NegotiateAuthentication (Windows, or by choice) each context still acquires its own: .NET offers
/// no way to share one. Thread-safe; dispose it after the last context made from it.
/// </summary>
public sealed class ClientCredential : IDisposable
{
    private readonly IClientContextFactory _factory;

    private ClientCredential(ClientCredentialOptions options, SecurityProvider provider, IClientContextFactory factory)
    {
        Options = options;
        Provider = provider;
        _factory = factory;
    }

    /// <summary>Where the tickets come from, and the package.</summary>
    public ClientCredentialOptions Options { get; }

    /// <summary>The implementation in use (never <see cref="SecurityProvider.Auto"/>).</summary>
    public SecurityProvider Provider { get; }

    /// <summary>The client principal, e.g. <c>alice@EXAMPLE.COM</c>; null where the provider does not say (NegotiateAuthentication).</summary>
    public string? Principal => _factory.Principal;

    /// <summary>When the ticket-granting ticket held now expires; null where the provider does not say.</summary>
    public DateTimeOffset? ExpiresAt => _factory.ExpiresAt;

    /// <summary>Reads the tickets (or asks the KDC for them with the password) now.</summary>
    /// <exception cref="SecurityPackageException">No usable tickets (no cache, expired, wrong password, KDC unreachable), or the package or provider is unknown.</exception>
    public static ClientCredential Acquire(ClientCredentialOptions? options = null, SecurityProvider provider = SecurityProvider.Auto) =>
        Acquire(options, provider, TimeProvider.System);

    internal static ClientCredential Acquire(ClientCredentialOptions? options, SecurityProvider provider, TimeProvider time)
    {
        options ??= new ClientCredentialOptions();
        try
        {
            options = options with { Package = SecurityPackages.Canonical(options.Package) };
        }
        catch (ArgumentException e)
        {
            throw new SecurityPackageException(e.Message, e);
        }

        SecurityProvider resolved = SecurityProviders.Resolve(provider);
        return new ClientCredential(options, resolved, SecurityProviders.CreateClientFactory(options, resolved, time));
    }

    /// <summary>A credential delegated to a service, wrapped for contexts that authenticate as its client with <paramref name="package"/>.</summary>
    internal static ClientCredential FromDelegated(IClientContextFactory delegated, string package) =>
        new(new ClientCredentialOptions { Package = package }, SecurityProvider.GssApi, delegated);

    /// <summary>
    /// Creates a context that authenticates to <paramref name="targetName"/> with this credential; the caller owns
    /// and disposes it. Mutual authentication is always required. <paramref name="messageProtection"/>
    /// <see cref="MessageProtection.GssApi"/> suits a context that will protect no message (HTTP Negotiate): nothing is
    /// exported from MIT at completion.
    /// </summary>
    public ClientSecurityContext CreateContext(
        string targetName,
        ProtectionLevel requiredProtectionLevel = ProtectionLevel.EncryptAndSign,
        TokenImpersonationLevel allowedImpersonationLevel = TokenImpersonationLevel.Identification,
        MessageProtection messageProtection = MessageProtection.Managed)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(targetName);
        var options = new ClientContextOptions
        {
            Package = Options.Package,
            TargetName = targetName,
            Credential = Options.Credential,
            RequiredProtectionLevel = requiredProtectionLevel,
            AllowedImpersonationLevel = allowedImpersonationLevel,
            MessageProtection = messageProtection,
        };
        return new ClientSecurityContext(_factory.CreateContext(options), options);
    }

    /// <inheritdoc />
    public void Dispose() => _factory.Dispose();
}

/// <summary>Makes client-side contexts from one (possibly native) initiator credential.</summary>
internal interface IClientContextFactory : IDisposable
{
    string? Principal { get; }

    DateTimeOffset? ExpiresAt { get; }

    SecurityContextPal CreateContext(ClientContextOptions options);
}
