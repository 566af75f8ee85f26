namespace ActorAuth.Security.Tests;

/// <summary>
/// An initiator and an acceptor context made by calling MIT's gss_init_sec_context and gss_accept_sec_context
/// as <see cref="GssApiPal"/> does (same flags, mechanisms and acceptor credential), holding the context
/// handles themselves so a test can export them. The initiator uses alice's TGT in the realm's ccache; the
/// acceptor, the service keytab (KRB5_KTNAME).
/// </summary>
internal sealed unsafe partial class GssContextPair : IDisposable
{
    private const uint Flags = GssApi.MutualFlag | GssApi.ReplayFlag | GssApi.SequenceFlag | GssApi.IntegFlag | GssApi.ConfFlag;

    private readonly GssCredentialHandle _acceptorCredential = new();
    private readonly GssCredentialHandle _initiatorCredential = new();
    private readonly GssNameHandle _target;
    private readonly string _package;

    private GssContextPair(string package, GssNameHandle target, int? enctype)
    {
        _package = package;
        _target = target;
        Acquire(_acceptorCredential, package, GssApi.CredentialAccept);
        if (enctype is int only)
        {
            // MIT's initiator offers its permitted enctypes for the acceptor subkey (RFC 4537) and the acceptor
            // takes the first it permits too, aes256-cts-hmac-sha1-96 by default: offering one makes it that one.
            Acquire(_initiatorCredential, package, GssApi.CredentialInitiate);
            uint minor;
            uint major = gss_krb5_set_allowable_enctypes(&minor, _initiatorCredential.DangerousGetHandle(), 1, &only);
            Assert.False(GssApi.IsError(major), GssApiStatus.Describe(major, minor));
        }
    }

    public GssContextHandle Initiator { get; } = new();

    public GssContextHandle Acceptor { get; } = new();

    /// <summary>The mechanism the acceptor reports once complete: "Kerberos" when SPNEGO negotiated krb5.</summary>
    public string? AcceptedPackage { get; private set; }

    /// <summary>
    /// A pair for <paramref name="package"/> (Kerberos: raw krb5 tokens; Negotiate: SPNEGO) targeting
    /// <paramref name="servicePrincipal"/> ("service/host") of the realm, whose initiator uses only
    /// <paramref name="enctype"/> when given (else MIT's defaults); nothing is exchanged yet.
    /// </summary>
    public static GssContextPair Create(string package, string servicePrincipal, int? enctype = null)
    {
        GssNameHandle? target = GssNameHandle.Import(servicePrincipal + "@ACTORAUTH.TEST", GssApi.NtKerberosPrincipal, out uint major, out uint minor);
        Assert.True(target is not null, GssApiStatus.Describe(major, minor));
        return new GssContextPair(package, target, enctype);
    }

    /// <summary>A pair whose handshake has run to completion on both sides.</summary>
    public static GssContextPair Established(string package, string servicePrincipal, int? enctype = null)
    {
        GssContextPair pair = Create(package, servicePrincipal, enctype);
        byte[]? token = pair.Initiate([]);
        while (token is not null)
        {
            byte[]? reply = pair.Accept(token);
            token = reply is null ? null : pair.Initiate(reply);
        }

        return pair;
    }

    /// <summary>One initiator step; returns the token for the acceptor, or null once there is none.</summary>
    public byte[]? Initiate(ReadOnlySpan<byte> input)
    {
        uint minor, flags;
        GssApi.GssBuffer output = default;
        IntPtr context = Initiator.DangerousGetHandle();
        try
        {
            uint major;
            fixed (byte* p = input)
            {
                var buffer = new GssApi.GssBuffer { Length = (nuint)input.Length, Value = p };
                major = GssApi.gss_init_sec_context(
                    &minor, _initiatorCredential.IsInvalid ? IntPtr.Zero : _initiatorCredential.DangerousGetHandle(), &context, _target.DangerousGetHandle(), GssApi.MechanismOf(_package), Flags,
                    0, null, input.IsEmpty ? null : &buffer, null, &output, &flags, null);
            }

            Initiator.Update(context);
            Assert.False(GssApi.IsError(major), GssApiStatus.Describe(major, minor));
            return output.Length == 0 ? null : output.AsSpan().ToArray();
        }
        finally
        {
            GssApi.Release(ref output);
        }
    }

    /// <summary>One acceptor step; returns the token for the initiator, or null when there is none.</summary>
    public byte[]? Accept(ReadOnlySpan<byte> input)
    {
        uint minor, flags;
        GssApi.GssOid* mech = null;
        GssApi.GssBuffer output = default;
        IntPtr context = Acceptor.DangerousGetHandle();
        try
        {
            uint major;
            fixed (byte* p = input)
            {
                var buffer = new GssApi.GssBuffer { Length = (nuint)input.Length, Value = p };
                major = GssApi.gss_accept_sec_context(
                    &minor, &context, _acceptorCredential.DangerousGetHandle(), &buffer, null, null, &mech, &output, &flags, null, null);
            }

            Acceptor.Update(context);
            Assert.False(GssApi.IsError(major), GssApiStatus.Describe(major, minor));
            if ((major & GssApi.ContinueNeeded) == 0)
            {
                AcceptedPackage = GssApi.PackageOf(mech, _package);
            }

            return output.Length == 0 ? null : output.AsSpan().ToArray();
        }
        finally
        {
            GssApi.Release(ref output);
        }
    }

    public void Dispose()
    {
        Initiator.Dispose();
        Acceptor.Dispose();
        _target.Dispose();
        _acceptorCredential.Dispose();
        _initiatorCredential.Dispose();
    }

    private static void Acquire(GssCredentialHandle credential, string package, int usage)
    {
        IntPtr raw = IntPtr.Zero;
        uint minor;
        uint major = GssApi.gss_acquire_cred(&minor, IntPtr.Zero, GssApi.Indefinite, GssApi.MechanismSetOf(package), usage, &raw, null, null);
        credential.Attach(raw);
        Assert.False(GssApi.IsError(major), GssApiStatus.Describe(major, minor));
    }

    /// <summary>gssapi_krb5.h: limits the enctypes a krb5 initiator credential requests and offers (krb5_enctype is int32).</summary>
    [System.Runtime.InteropServices.LibraryImport(GssApi.LibraryName)]
    private static partial uint gss_krb5_set_allowable_enctypes(uint* minor, IntPtr credential, uint count, int* enctypes);
}
