namespace ActorAuth.Security;

/// <summary>
/// The service's acceptor credential, acquired once (gss_acquire_cred with GSS_C_NO_NAME, so any principal in
/// the keytab is accepted, GSS_C_INDEFINITE, GSS_C_ACCEPT) for {krb5} (package Kerberos) or {SPNEGO} (package
/// Negotiate; MIT's SPNEGO acceptor acquires the krb5 credential beneath it and accepts the krb5 OIDs .NET's and
/// Windows' initiators propose). Acquiring it once instead of per context saves about half the accept cost.
/// <para>
/// Threads: MIT locks a krb5 credential for the whole of an accept (kg_accept_krb5 takes cred->lock in
/// kg_cred_resolve and releases it at the end), so sharing one credential is safe but serialises every accept
/// of the process. The factory therefore holds one credential per processor and hands them to contexts
/// round-robin: still acquired once, and accepts on different cores do not wait on each other.
/// </para>
/// <para>
/// Keytab rotation: the credential keeps the keytab's name, not its keys. MIT's FILE keytab opens and reads the
/// file on every lookup, and a GSS_C_NO_NAME credential looks the ticket's server up per accept, so a keytab
/// replaced in place (same path) is used from the next accept on. Changing KRB5_KTNAME needs a new credential.
/// </para>
/// </summary>
internal sealed unsafe class GssApiAcceptorCredential : IServerContextFactory
{
    private readonly ServerCredentialOptions _options;
    private readonly GssCredentialHandle[] _credentials;
    private uint _next;

    /// <exception cref="SecurityPackageException">MIT cannot acquire the credential: no keytab, unreadable, or no keys.</exception>
    public GssApiAcceptorCredential(ServerCredentialOptions options)
    {
        _options = options;
        _credentials = new GssCredentialHandle[Math.Clamp(Environment.ProcessorCount, 1, 16)];
        try
        {
            for (int i = 0; i < _credentials.Length; i++)
            {
                _credentials[i] = Acquire(options.Package);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public SecurityContextPal CreateContext()
    {
        uint index = Interlocked.Increment(ref _next) % (uint)_credentials.Length;
        return GssApiPal.CreateServer(_options, _credentials[index]);
    }

    public void Dispose()
    {
        foreach (GssCredentialHandle? credential in _credentials)
        {
            credential?.Dispose();
        }
    }

    private static GssCredentialHandle Acquire(string package)
    {
        var credential = new GssCredentialHandle();
        IntPtr raw = IntPtr.Zero;
        uint minor;
        uint major = GssApi.gss_acquire_cred(
            &minor, IntPtr.Zero, GssApi.Indefinite, GssApi.MechanismSetOf(package), GssApi.CredentialAccept, &raw, null, null);
        credential.Attach(raw);
        if (GssApi.IsError(major))
        {
            string mit = GssApiStatus.Describe(major, minor);
            credential.Dispose();
            string keytab = Environment.GetEnvironmentVariable("KRB5_KTNAME") is { } name
                ? $"KRB5_KTNAME={name}"
                : "KRB5_KTNAME is not set, so MIT uses the default /etc/krb5.keytab";
            throw new SecurityPackageException(
                $"The service's {package} acceptor credential cannot be acquired from its keytab ({keytab}): MIT: {mit}. " +
                "Point KRB5_KTNAME at a readable keytab holding the service principal's keys before starting the server.");
        }

        return credential;
    }
}
