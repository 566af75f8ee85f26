namespace ActorAuth.Security;

/// <summary>
/// A credential a client delegated to the service (its forwarded TGT, held by MIT in a MEMORY: cache that
/// gss_release_cred destroys), or with constrained delegation the service's S4U2Proxy credential for that
/// client: contexts made from it authenticate as the client. Owned by the session that accepted it; contexts
/// hold a reference, so the native credential lives until the last of them and the owner are gone.
/// </summary>
internal sealed class GssApiDelegatedCredential(GssCredentialHandle credential, string principal) : IClientContextFactory
{
    public string? Principal => principal;

    public DateTimeOffset? ExpiresAt => null;

    public SecurityContextPal CreateContext(ClientContextOptions options) => GssApiPal.CreateClient(options, credential);

    public void Dispose() => credential.Dispose();
}
