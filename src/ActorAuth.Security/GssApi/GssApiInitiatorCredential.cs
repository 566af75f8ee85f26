using System.Net;

namespace ActorAuth.Security;

/// <summary>
/// A client's credential acquired once and shared by every context made from it — the initiator's counterpart
/// of <see cref="GssApiAcceptorCredential"/>. MIT's default initiator credential reopens and parses the ticket
/// cache file on every gss_init_sec_context (stdio reads and a malloc per entry: most of a client handshake's
/// CPU), so the tickets are copied once into a MEMORY: cache private to this credential (gss_store_cred_into)
/// and the contexts' credentials are acquired from that (gss_acquire_cred_from). Service tickets MIT obtains
/// later are stored there too, so each SPN costs one TGS exchange per credential, as with a file cache.
/// <para>
/// The tickets keep their KDC-issued lifetimes. Within <see cref="RefreshMargin"/> of the TGT's end the copy is
/// refreshed from its source (the ticket cache, renewed by kinit or k5start as usual, or a new AS exchange with
/// the password); until that works, contexts go on with the old tickets and fail with MIT's expiry error.
/// </para>
/// <para>
/// Threads: MIT locks a krb5 credential for the whole of gss_init_sec_context, so, as for the acceptor, one
/// credential per processor (all over the same MEMORY: cache) keeps concurrent handshakes from queueing.
/// </para>
/// </summary>
internal sealed unsafe class GssApiInitiatorCredential : IClientContextFactory
{
    /// <summary>How long before the TGT expires the tickets are copied again from their source.</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Refreshes are attempted at most this often, whether they failed or brought tickets that are themselves
    /// within the margin (a realm whose ticket lifetime is under it: then every interval costs a copy, or an AS
    /// exchange for a password credential).
    /// </summary>
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(10);

    private readonly ClientCredentialOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _refreshing = new();
    private readonly Krb5.Context _parsedConfiguration; // keeps MIT's parsed krb5.conf between inits
    private readonly List<string> _retiredCaches = [];
    private Tickets _tickets;
    private DateTimeOffset _nextRefreshAttempt;
    private uint _next;
    private bool _disposed;

    /// <exception cref="SecurityPackageException">No usable tickets: no cache, an expired TGT, a wrong password, no KDC.</exception>
    public GssApiInitiatorCredential(ClientCredentialOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _parsedConfiguration = new Krb5.Context();
        try
        {
            _tickets = Load(options, time);
        }
        catch
        {
            _parsedConfiguration.Dispose();
            throw;
        }
    }

    public string? Principal => Volatile.Read(ref _tickets).Principal;

    public DateTimeOffset? ExpiresAt => Volatile.Read(ref _tickets).ExpiresAt;

    public SecurityContextPal CreateContext(ClientContextOptions options)
    {
        RefreshIfExpiring();
        while (true)
        {
            Tickets tickets = Volatile.Read(ref _tickets);
            uint index = Interlocked.Increment(ref _next) % (uint)tickets.Credentials.Length;
            try
            {
                return GssApiPal.CreateClient(options, tickets.Credentials[index]);
            }
            catch (ObjectDisposedException) when (!ReferenceEquals(tickets, Volatile.Read(ref _tickets)))
            {
                // Another thread's refresh retired these tickets between our read and our reference: take the new ones.
            }
        }
    }

    public void Dispose()
    {
        lock (_refreshing)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _tickets.Release();
            _parsedConfiguration.Dispose();
            Krb5.DestroyCache(_tickets.CacheName);
            foreach (string retired in _retiredCaches)
            {
                Krb5.DestroyCache(retired);
            }
        }
    }

    private void RefreshIfExpiring()
    {
        DateTimeOffset now = _time.GetUtcNow();
        if (now < Volatile.Read(ref _tickets).ExpiresAt - RefreshMargin)
        {
            return;
        }

        lock (_refreshing)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (now < _tickets.ExpiresAt - RefreshMargin || now < _nextRefreshAttempt)
            {
                return;
            }

            _nextRefreshAttempt = now + RetryInterval;
            Tickets fresh;
            try
            {
                fresh = Load(_options, _time);
            }
            catch (SecurityPackageException)
            {
                return; // the old tickets serve until they expire; MIT then names the failure per context
            }

            // Contexts made a moment ago may not have taken their first step from the old cache yet: it is
            // destroyed at the next refresh (a ticket lifetime later) or with the credential.
            foreach (string retired in _retiredCaches)
            {
                Krb5.DestroyCache(retired);
            }

            _retiredCaches.Clear();
            Tickets previous = _tickets;
            _retiredCaches.Add(previous.CacheName);
            Volatile.Write(ref _tickets, fresh);
            previous.Release(); // after publishing: a reader that finds these disposed finds the fresh ones
        }
    }

    private static Tickets Load(ClientCredentialOptions options, TimeProvider time)
    {
        GssCredentialHandle source = AcquireSource(options);
        string cacheName = $"MEMORY:actorauth-{Guid.NewGuid():N}";
        var credentials = new GssCredentialHandle[Math.Clamp(Environment.ProcessorCount, 1, 16)];
        try
        {
            StoreInMemory(source, cacheName, options, credentials);
            (string principal, uint lifetime) = Inquire(credentials[0], options);
            return new Tickets(cacheName, credentials, principal, time.GetUtcNow().AddSeconds(lifetime));
        }
        catch
        {
            foreach (GssCredentialHandle? credential in credentials)
            {
                credential?.Dispose();
            }

            Krb5.DestroyCache(cacheName);
            throw;
        }
        finally
        {
            source.Dispose();
        }
    }

    /// <summary>
    /// Copies <paramref name="source"/>'s tickets into the MEMORY: cache <paramref name="cacheName"/> and fills
    /// <paramref name="credentials"/> with initiator credentials over it for <paramref name="options"/>' package.
    /// Also how a delegated credential (MIT's holds the krb5 mechanism only) becomes one SPNEGO can use.
    /// </summary>
    internal static void StoreInMemory(GssCredentialHandle source, string cacheName, ClientCredentialOptions options, GssCredentialHandle[] credentials)
    {
        using var store = new GssCredentialStore("ccache", cacheName);
        uint minor;
        uint major = GssApi.gss_store_cred_into(
            &minor, source.DangerousGetHandle(), GssApi.CredentialInitiate, GssApi.Kerberos, 1, 0, store.Pointer, null, null);
        ThrowIfError(major, minor, options, "copying the tickets into memory");
        for (int i = 0; i < credentials.Length; i++)
        {
            credentials[i] = Acquire(options, store, GssApi.MechanismSetOf(options.Package));
        }
    }

    /// <summary>The tickets to copy: a password's (an AS exchange now), a named cache's, or the default cache's.</summary>
    private static GssCredentialHandle AcquireSource(ClientCredentialOptions options)
    {
        if (options.Credential is { } password)
        {
            return AcquireWithPassword(password, options.Package, out SecurityStatus? failure)
                ?? throw new SecurityPackageException($"The client credential cannot be acquired with the password of {UserOf(password)}: {failure}.");
        }

        if (options.TicketCache is { } cache)
        {
            using var store = new GssCredentialStore("ccache", cache);
            return Acquire(options, store, GssApi.KerberosSet);
        }

        var credential = new GssCredentialHandle();
        IntPtr raw = IntPtr.Zero;
        uint minor;
        uint major = GssApi.gss_acquire_cred(&minor, IntPtr.Zero, GssApi.Indefinite, GssApi.KerberosSet, GssApi.CredentialInitiate, &raw, null, null);
        credential.Attach(raw);
        if (GssApi.IsError(major))
        {
            credential.Dispose();
            ThrowIfError(major, minor, options, "reading the ticket cache");
        }

        return credential;
    }

    private static GssCredentialHandle Acquire(ClientCredentialOptions options, GssCredentialStore store, GssApi.GssOidSet* mechanisms)
    {
        var credential = new GssCredentialHandle();
        IntPtr raw = IntPtr.Zero;
        uint minor;
        uint major = GssApi.gss_acquire_cred_from(
            &minor, IntPtr.Zero, GssApi.Indefinite, mechanisms, GssApi.CredentialInitiate, store.Pointer, &raw, null, null);
        credential.Attach(raw);
        if (GssApi.IsError(major))
        {
            credential.Dispose();
            ThrowIfError(major, minor, options, "reading the ticket cache");
        }

        return credential;
    }

    private static (string Principal, uint Lifetime) Inquire(GssCredentialHandle credential, ClientCredentialOptions options)
    {
        IntPtr name = IntPtr.Zero;
        uint lifetime, minor;
        uint major = GssApi.gss_inquire_cred(&minor, credential.DangerousGetHandle(), &name, &lifetime, null, null);
        try
        {
            ThrowIfError(major, minor, options, "reading the tickets' principal and lifetime");
            return (GssNameHandle.Display(name), lifetime);
        }
        finally
        {
            GssNameHandle.Release(name);
        }
    }

    /// <summary>A password credential: MIT's AS exchange, its tickets held in a MEMORY: cache of MIT's own.</summary>
    public static GssCredentialHandle? AcquireWithPassword(NetworkCredential credential, string package, out SecurityStatus? failure)
    {
        using GssNameHandle? name = GssNameHandle.Import(UserOf(credential), GssApi.NtKerberosPrincipal, out uint major, out uint minor);
        if (name is null)
        {
            failure = GssApiStatus.FromError(major, minor);
            return null;
        }

        byte[] password = System.Text.Encoding.UTF8.GetBytes(credential.Password);
        var handle = new GssCredentialHandle();
        IntPtr raw = IntPtr.Zero;
        try
        {
            fixed (byte* p = password)
            {
                var buffer = new GssApi.GssBuffer { Length = (nuint)password.Length, Value = p };
                major = GssApi.gss_acquire_cred_with_password(
                    &minor, name.DangerousGetHandle(), &buffer, GssApi.Indefinite, GssApi.MechanismSetOf(package), GssApi.CredentialInitiate, &raw, null, null);
            }
        }
        finally
        {
            Array.Clear(password);
        }

        handle.Attach(raw);
        if (GssApi.IsError(major))
        {
            failure = GssApiStatus.FromError(major, minor);
            handle.Dispose();
            return null;
        }

        failure = null;
        return handle;
    }

    private static string UserOf(NetworkCredential credential) =>
        string.IsNullOrEmpty(credential.Domain) ? credential.UserName : $"{credential.UserName}@{credential.Domain}";

    private static void ThrowIfError(uint major, uint minor, ClientCredentialOptions options, string step)
    {
        if (GssApi.IsError(major))
        {
            string source = options.TicketCache is { } cache ? $"the ticket cache {cache}"
                : Environment.GetEnvironmentVariable("KRB5CCNAME") is { } env ? $"the ticket cache KRB5CCNAME={env}"
                : "the default ticket cache";
            throw new SecurityPackageException(
                $"The client credential cannot be acquired from {source} ({step}): MIT: {GssApiStatus.Describe(major, minor)}. " +
                "Obtain a ticket-granting ticket first (kinit), or give a user name and password.");
        }
    }

    /// <summary>One generation of copied tickets: the MEMORY: cache and the credentials over it.</summary>
    private sealed record Tickets(string CacheName, GssCredentialHandle[] Credentials, string Principal, DateTimeOffset ExpiresAt)
    {
        /// <summary>Drops this object's references; a context still holding one keeps its credential alive.</summary>
        public void Release()
        {
            foreach (GssCredentialHandle credential in Credentials)
            {
                credential.Dispose();
            }
        }
    }
}
