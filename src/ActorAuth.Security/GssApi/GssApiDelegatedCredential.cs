namespace ActorAuth.Security;

/// <summary>
/// A credential a client delegated to the service (its forwarded TGT): contexts made from it authenticate as the
/// client. MIT returns it for the krb5 mechanism only, which SPNEGO cannot initiate with, so its tickets are copied
/// into a MEMORY: cache of this object's and a credential for the package acquired over it (as for any shared client
/// credential, <see cref="GssApiInitiatorCredential"/>); MIT's original is released at once. Owned by the session
/// that accepted it; contexts hold a reference, so the native credential lives until the last of them and the owner
/// are gone; the cache is destroyed with the owner.
/// </summary>
internal sealed class GssApiDelegatedCredential : IClientContextFactory
{
    private readonly GssCredentialHandle _credential;
    private readonly string _cacheName = $"MEMORY:actorauth-delegated-{Guid.NewGuid():N}";

    /// <summary>Takes ownership of <paramref name="delegated"/>, copies it for <paramref name="package"/>, releases it.</summary>
    /// <exception cref="SecurityPackageException">MIT could not copy the delegated tickets.</exception>
    public GssApiDelegatedCredential(GssCredentialHandle delegated, string principal, string package)
    {
        Principal = principal;
        var credentials = new GssCredentialHandle[1];
        using (delegated)
        {
            try
            {
                GssApiInitiatorCredential.StoreInMemory(delegated, _cacheName, new ClientCredentialOptions { Package = package }, credentials);
            }
            catch
            {
                Krb5.DestroyCache(_cacheName);
                throw;
            }
        }

        _credential = credentials[0];
    }

    public string? Principal { get; }

    public DateTimeOffset? ExpiresAt => null;

    public SecurityContextPal CreateContext(ClientContextOptions options) => GssApiPal.CreateClient(options, _credential);

    public void Dispose()
    {
        _credential.Dispose();
        Krb5.DestroyCache(_cacheName);
    }
}
