namespace ActorAuth.Security;

/// <summary>
/// The service's acceptor credential, acquired once (GSS_C_NO_NAME, so any principal in the keytab is accepted,
/// GSS_C_INDEFINITE, GSS_C_ACCEPT) for {krb5} (package Kerberos) or {SPNEGO} (package Negotiate; MIT's SPNEGO
/// acceptor acquires the krb5 credential beneath it and accepts the krb5 OIDs .NET's and Windows' initiators
/// propose). Acquiring it once instead of per context saves about a quarter of MIT's accept cost.
/// <para>
/// In-memory keytab: MIT's FILE keytab opens, locks and parses the file on every accept, so a file keytab is
/// copied into a MEMORY: keytab private to this credential (every principal and key version) and the credentials
/// are acquired from that (gss_acquire_cred_from with a "keytab" store): about another quarter off the accept.
/// </para>
/// <para>
/// Keytab rotation: before each context the file's size and modification time are compared with the copy's (one
/// stat); a keytab rewritten in place (kadmin ktadd, a deployment tool) is copied again and new contexts use the
/// new keys at once, while contexts already made keep the credential they hold. Keys removed from the file are
/// gone from the next copy, as with the file itself. A copy that fails (a file caught mid-write) leaves the old
/// keys in use and is retried at the next context. A non-file keytab (e.g. already MEMORY:) is used as it is.
/// </para>
/// <para>
/// Threads: MIT locks a krb5 credential for the whole of an accept, so sharing one credential serialises every
/// accept of the process; the factory holds one credential per processor, handed to contexts round-robin.
/// </para>
/// </summary>
internal sealed unsafe class GssApiAcceptorCredential : IServerContextFactory
{
    private readonly ServerCredentialOptions _options;
    private readonly string? _keytabFile;
    private readonly Lock _reloading = new();
    private readonly Krb5.Context _parsedConfiguration; // keeps MIT's parsed krb5.conf between accepts
    private Generation _current;
    private uint _next;

    /// <exception cref="SecurityPackageException">MIT cannot acquire the credential: no keytab, unreadable, or no keys.</exception>
    public GssApiAcceptorCredential(ServerCredentialOptions options)
    {
        _options = options;
        _keytabFile = Keytab.FilePath();
        _parsedConfiguration = new Krb5.Context();
        try
        {
            _current = Load(_keytabFile is null ? null : KeytabStamp.Of(_keytabFile));
        }
        catch
        {
            _parsedConfiguration.Dispose();
            throw;
        }
    }

    public SecurityContextPal CreateContext()
    {
        while (true)
        {
            Generation current = Volatile.Read(ref _current);
            if (_keytabFile is not null && KeytabStamp.Of(_keytabFile) is { } stamp && stamp != current.Stamp)
            {
                current = Reload(stamp);
            }

            uint index = Interlocked.Increment(ref _next) % (uint)current.Credentials.Length;
            try
            {
                return GssApiPal.CreateServer(_options, current.Credentials[index]);
            }
            catch (ObjectDisposedException) when (!ReferenceEquals(current, Volatile.Read(ref _current)))
            {
                // Another thread's reload retired this generation between our read and our reference: take the new one.
            }
        }
    }

    public void Dispose()
    {
        Volatile.Read(ref _current).Release();
        _parsedConfiguration.Dispose();
    }

    private Generation Reload(KeytabStamp stamp)
    {
        lock (_reloading)
        {
            if (_current.Stamp == stamp)
            {
                return _current;
            }

            try
            {
                Generation retired = _current;
                Volatile.Write(ref _current, Load(stamp));

                // Published first, so a reader that finds the old credentials disposed also finds the new ones.
                // Contexts holding one of the old credentials keep it alive until they are disposed.
                retired.Release();
            }
            catch (SecurityPackageException)
            {
                // Caught mid-write or briefly unreadable: the keys in memory serve, and the next context retries.
            }

            return _current;
        }
    }

    private Generation Load(KeytabStamp? stamp)
    {
        string? store = _keytabFile is null ? null : $"MEMORY:actorauth-{Guid.NewGuid():N}";
        using Krb5.MemoryKeytab? copy = store is null ? null : Krb5.CopyKeytab("FILE:" + _keytabFile, store);
        if (copy is { Entries: 0 })
        {
            store = "FILE:" + _keytabFile; // nothing usable was copied: let MIT say what is wrong with the file
        }

        var credentials = new GssCredentialHandle[Math.Clamp(Environment.ProcessorCount, 1, 16)];
        try
        {
            for (int i = 0; i < credentials.Length; i++)
            {
                credentials[i] = Acquire(_options.Package, store);
            }
        }
        catch
        {
            foreach (GssCredentialHandle? credential in credentials)
            {
                credential?.Dispose();
            }

            throw;
        }

        // Each credential holds its own reference to the MEMORY: keytab (the copy's closes here); MIT frees it with the last.
        return new Generation(stamp, credentials);
    }

    private static GssCredentialHandle Acquire(string package, string? keytab)
    {
        var credential = new GssCredentialHandle();
        IntPtr raw = IntPtr.Zero;
        uint minor, major;
        if (keytab is null)
        {
            major = GssApi.gss_acquire_cred(
                &minor, IntPtr.Zero, GssApi.Indefinite, GssApi.MechanismSetOf(package), GssApi.CredentialAccept, &raw, null, null);
        }
        else
        {
            using var store = new GssCredentialStore("keytab", keytab);
            major = GssApi.gss_acquire_cred_from(
                &minor, IntPtr.Zero, GssApi.Indefinite, GssApi.MechanismSetOf(package), GssApi.CredentialAccept, store.Pointer, &raw, null, null);
        }

        credential.Attach(raw);
        if (GssApi.IsError(major))
        {
            string mit = GssApiStatus.Describe(major, minor);
            credential.Dispose();
            string name = Environment.GetEnvironmentVariable("KRB5_KTNAME") is { } configured
                ? $"KRB5_KTNAME={configured}"
                : "KRB5_KTNAME is not set, so MIT uses the default /etc/krb5.keytab";
            throw new SecurityPackageException(
                $"The service's {package} acceptor credential cannot be acquired from its keytab ({name}): MIT: {mit}. " +
                "Point KRB5_KTNAME at a readable keytab holding the service principal's keys before starting the server.");
        }

        return credential;
    }

    /// <summary>One copy of the keytab and the credentials over it.</summary>
    private sealed record Generation(KeytabStamp? Stamp, GssCredentialHandle[] Credentials)
    {
        public void Release()
        {
            foreach (GssCredentialHandle credential in Credentials)
            {
                credential.Dispose();
            }
        }
    }

    /// <summary>What identifies one version of the keytab file: its size and modification time (one stat).</summary>
    private readonly record struct KeytabStamp(long Length, DateTime LastWriteUtc)
    {
        public static KeytabStamp? Of(string path)
        {
            var file = new FileInfo(path);
            return file.Exists ? new KeytabStamp(file.Length, file.LastWriteTimeUtc) : null;
        }
    }
}
