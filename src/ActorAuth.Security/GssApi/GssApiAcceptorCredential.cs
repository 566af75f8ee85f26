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
/// Constrained delegation (<see cref="ServerCredentialOptions.ConstrainedDelegationAccount"/>): the credential is
/// acquired with GSS_C_BOTH for that account from {keytab, client_keytab: the keytab copy, ccache: a MEMORY: cache
/// per generation}, so MIT does an AS exchange for the account at acquisition and composes an S4U2Proxy credential
/// from each client's ticket at accept. The name is required: without it MIT picks the copy's first entry (often an
/// SPN, which AD refuses) and files evidence tickets under a principal the proxy step does not look for. MIT never
/// renews that TGT, so a generation is re-acquired at half its lifetime (as for a keytab change).
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
    private string? _retiredCache; // the previous generation's TGT cache: handshakes begun on it may still need it
    private long _retryAt;         // after a failed time-based refresh, when to try the KDC again (Environment.TickCount64)
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

    public SecurityContextPal CreateContext(ServerCredentialOptions options)
    {
        while (true)
        {
            Generation current = Volatile.Read(ref _current);
            // _retryAt (constrained delegation only) also spaces out keytab reloads: each one is an AS exchange.
            if (_keytabFile is not null && KeytabStamp.Of(_keytabFile) is { } stamp && stamp != current.Stamp
                && Environment.TickCount64 >= Volatile.Read(ref _retryAt))
            {
                current = Reload(stamp, due: false);
            }
            else if (current.RefreshAt is { } at && Environment.TickCount64 >= Math.Max(at, Volatile.Read(ref _retryAt)))
            {
                current = Reload(current.Stamp, due: true);
            }

            uint index = Interlocked.Increment(ref _next) % (uint)current.Credentials.Length;
            try
            {
                return GssApiPal.CreateServer(options, current.Credentials[index]);
            }
            catch (ObjectDisposedException) when (!ReferenceEquals(current, Volatile.Read(ref _current)))
            {
                // Another thread's reload retired this generation between our read and our reference: take the new one.
            }
        }
    }

    public void Dispose()
    {
        Generation current = Volatile.Read(ref _current);
        current.Release();
        DestroyCache(current.Cache);
        DestroyCache(_retiredCache);
        _parsedConfiguration.Dispose();
    }

    private Generation Reload(KeytabStamp? stamp, bool due)
    {
        // A due refresh talks to the KDC while the current TGT is still good: one thread does it, the others go on.
        if (!due)
        {
            _reloading.Enter();
        }
        else if (!_reloading.TryEnter())
        {
            return _current;
        }

        try
        {
            if (_current.Stamp == stamp && !(due && _current.RefreshAt <= Environment.TickCount64))
            {
                return _current;
            }

            try
            {
                Generation retired = _current;
                Volatile.Write(ref _current, Load(stamp));

                // Published first, so a reader that finds the old credentials disposed also finds the new ones.
                // Contexts holding one of the old credentials keep it alive until they are disposed; the old TGT
                // cache outlives it by one generation, for handshakes begun on it.
                retired.Release();
                DestroyCache(_retiredCache);
                _retiredCache = retired.Cache;
            }
            catch (SecurityPackageException) when (_options.ConstrainedDelegationAccount is not null)
            {
                // KDC unreachable or keytab mid-write: the current TGT serves; ask the KDC again in a minute, not per context.
                Volatile.Write(ref _retryAt, Environment.TickCount64 + 60_000);
            }
            catch (SecurityPackageException)
            {
                // Caught mid-write or briefly unreadable: the keys in memory serve, and the next context retries.
            }

            return _current;
        }
        finally
        {
            _reloading.Exit();
        }
    }

    private static void DestroyCache(string? name)
    {
        if (name is not null)
        {
            Krb5.DestroyCache(name);
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

        // One TGT cache per generation: the first acquisition's AS exchange fills it, the others find the TGT there.
        string? cache = _options.ConstrainedDelegationAccount is null ? null : $"MEMORY:actorauth-s4u-{Guid.NewGuid():N}";
        var credentials = new GssCredentialHandle[Math.Clamp(Environment.ProcessorCount, 1, 16)];
        uint lifetime = GssApi.Indefinite;
        try
        {
            for (int i = 0; i < credentials.Length; i++)
            {
                credentials[i] = cache is null
                    ? Acquire(_options.Package, store)
                    : AcquireForDelegation(_options, store ?? Environment.GetEnvironmentVariable("KRB5_KTNAME")!, cache, out lifetime);
            }
        }
        catch
        {
            foreach (GssCredentialHandle? credential in credentials)
            {
                credential?.Dispose();
            }

            DestroyCache(cache);
            throw;
        }

        // Each credential holds its own reference to the MEMORY: keytab (the copy's closes here); MIT frees it with the last.
        long? refreshAt = lifetime == GssApi.Indefinite ? null : Environment.TickCount64 + (lifetime * 1000L / 2);
        return new Generation(stamp, credentials, cache, refreshAt);
    }

    /// <summary>The GSS_C_BOTH credential of <see cref="ServerCredentialOptions.ConstrainedDelegationAccount"/>; see the class remarks.</summary>
    private static GssCredentialHandle AcquireForDelegation(ServerCredentialOptions options, string keytab, string cache, out uint lifetime)
    {
        string account = options.ConstrainedDelegationAccount!;
        using GssNameHandle? name = GssNameHandle.Import(account, GssApi.NtKerberosPrincipal, out uint major, out uint minor)
            ?? throw new SecurityPackageException(
                $"The constrained-delegation account '{account}' is not a Kerberos principal name: MIT: {GssApiStatus.Describe(major, minor)}.");
        using var store = new GssCredentialStore([("keytab", keytab), ("client_keytab", keytab), ("ccache", cache)]);
        var credential = new GssCredentialHandle();
        IntPtr raw = IntPtr.Zero;
        uint seconds = GssApi.Indefinite;
        major = GssApi.gss_acquire_cred_from(
            &minor, name.DangerousGetHandle(), GssApi.Indefinite, GssApi.MechanismSetOf(options.Package), GssApi.CredentialBoth, store.Pointer, &raw, null, &seconds);
        credential.Attach(raw);
        if (GssApi.IsError(major))
        {
            credential.Dispose();
            // SPNEGO only says it found no mechanism: ask krb5 alone for the reason (no keys, KDC refusal, bad rcache...).
            if (options.Package == SecurityPackages.Negotiate)
            {
                IntPtr probe = IntPtr.Zero;
                uint probeMinor;
                uint probeMajor = GssApi.gss_acquire_cred_from(
                    &probeMinor, name.DangerousGetHandle(), GssApi.Indefinite, GssApi.KerberosSet, GssApi.CredentialBoth, store.Pointer, &probe, null, null);
                using var probed = new GssCredentialHandle();
                probed.Attach(probe);
                (major, minor) = GssApi.IsError(probeMajor) ? (probeMajor, probeMinor) : (major, minor);
            }

            string mit = GssApiStatus.Describe(major, minor);
            throw new SecurityPackageException(
                $"The service's {options.Package} credential for constrained delegation as {account} cannot be acquired " +
                $"(its keys from the keytab, {Keytab.FilePath() ?? keytab}, and a TGT from the KDC): MIT: {mit}. " +
                "The keytab must hold that account principal's keys (the account name, not an SPN) and the KDC must be reachable; " +
                "or turn constrained delegation off (actorauth.server.delegation.constrained-account).");
        }

        lifetime = seconds;
        return credential;
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

    /// <summary>
    /// One copy of the keytab and the credentials over it; with constrained delegation also the account's TGT cache
    /// and when to re-acquire (Environment.TickCount64, half the TGT's lifetime).
    /// </summary>
    private sealed record Generation(KeytabStamp? Stamp, GssCredentialHandle[] Credentials, string? Cache = null, long? RefreshAt = null)
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
