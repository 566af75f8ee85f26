using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Security.Principal;

namespace ActorAuth.Security;

/// <summary>
/// A security context over MIT's libgssapi_krb5 called directly (the loop of MIT's gss-server.c/gss-client.c).
/// Unlike <see cref="NegotiateAuthenticationPal"/> on Linux it returns the error token (a KRB-ERROR) with a
/// failure, keeps MIT's reason text, shares the service's acceptor credential across contexts, and requests
/// replay and sequence detection, which MIT then enforces on <see cref="Unwrap"/> and <see cref="VerifyMic"/>.
/// With <see cref="MessageProtection.Managed"/>, once the context completes with an AES key its RFC 4121 state is
/// exported and MIT's context freed (it would otherwise hold ~7 KB of native state per session); the managed
/// engine (<see cref="Kerberos.IMessageProtection"/>) protects the messages from then on, and the sequence checks
/// above it (<see cref="WrapTokenSequence"/>) stand in for MIT's. A credential the client delegated is kept, for
/// <see cref="TakeDelegatedCredential"/>, and released with the context if nobody took it. Not thread-safe; one
/// owner at a time.
/// </summary>
internal sealed unsafe partial class GssApiPal : SecurityContextPal
{
    private readonly bool _isServer;
    private readonly string _configuredPackage;
    private readonly GssContextHandle _context = new();
    private readonly GssCredentialHandle? _credential;
    private readonly GssNameHandle? _target;
    private readonly string _targetName;
    private readonly uint _requestFlags;
    private readonly bool _exportProtection;
    private Kerberos.IMessageProtection? _managed;
    private GssCredentialHandle? _delegated;
    private ulong _expectedReceiveSequence;
    private SecurityStatus? _pendingFailure;
    private bool _credentialReferenced;
    private bool _disposed;
    private uint _flags;
    private string? _package;
    private string _remotePrincipal = string.Empty;

    private GssApiPal(
        bool isServer, string package, GssCredentialHandle? credential, GssNameHandle? target, string targetName, uint requestFlags, MessageProtection protection)
    {
        _exportProtection = protection == MessageProtection.Managed;
        _isServer = isServer;
        _configuredPackage = package;
        _credential = credential;
        _target = target;
        _targetName = targetName;
        _requestFlags = requestFlags;
    }

    /// <summary>A server context using the shared acceptor <paramref name="credential"/> (referenced until disposed).</summary>
    public static GssApiPal CreateServer(ServerCredentialOptions options, GssCredentialHandle credential)
    {
        var pal = new GssApiPal(isServer: true, options.Package, credential, target: null, targetName: string.Empty, requestFlags: 0, options.MessageProtection);
        credential.DangerousAddRef(ref pal._credentialReferenced);
        return pal;
    }

    /// <summary>
    /// A client context. The target is imported now, and, without a <paramref name="shared"/> credential, a
    /// password credential acquired (an AS exchange with the KDC) or else the default ticket cache read by MIT at
    /// each step; a failure is returned by the first <see cref="Step"/>, with MIT's text. A shared credential
    /// (<see cref="GssApiInitiatorCredential"/>) is referenced until the context is disposed.
    /// </summary>
    public static GssApiPal CreateClient(ClientContextOptions options, GssCredentialHandle? shared = null)
    {
        uint flags = GssApi.MutualFlag | GssApi.ReplayFlag | GssApi.SequenceFlag | GssApi.IntegFlag
            | (options.RequiredProtectionLevel == ProtectionLevel.EncryptAndSign ? GssApi.ConfFlag : 0)
            | options.AllowedImpersonationLevel switch
            {
                TokenImpersonationLevel.Identification => GssApi.IdentifyFlag,
                TokenImpersonationLevel.Delegation => GssApi.DelegFlag,
                _ => 0u,
            };

        SecurityStatus? failure = null;
        GssNameHandle? target = ImportTarget(options.TargetName, out uint major, out uint minor);
        if (target is null)
        {
            failure = GssApiStatus.FromError(major, minor);
        }

        GssCredentialHandle? credential = shared;
        if (failure is null && shared is null && options.Credential is { } password)
        {
            credential = GssApiInitiatorCredential.AcquireWithPassword(password, options.Package, out failure);
        }

        var pal = new GssApiPal(isServer: false, options.Package, credential, target, options.TargetName, flags, options.MessageProtection) { _pendingFailure = failure };
        try
        {
            shared?.DangerousAddRef(ref pal._credentialReferenced);
        }
        catch (ObjectDisposedException)
        {
            target?.Dispose(); // the shared credential is not ours to dispose
            throw;
        }

        return pal;
    }

    public override string Package => _package ?? _configuredPackage;

    public override ContextAttributes Attributes =>
        ((_flags & GssApi.MutualFlag) != 0 ? ContextAttributes.MutualAuthentication : 0)
        | ((_flags & GssApi.IntegFlag) != 0 ? ContextAttributes.Integrity : 0)
        | ((_flags & GssApi.ConfFlag) != 0 ? ContextAttributes.Confidentiality : 0)
        | ((_flags & GssApi.DelegFlag) != 0 ? ContextAttributes.Delegation : 0)
        | ((_flags & GssApi.IdentifyFlag) != 0 ? ContextAttributes.Identification : 0);

    public override string RemotePrincipal => _isServer ? _remotePrincipal : _targetName;

    public override SecurityStatus Step(ReadOnlySpan<byte> inputToken, out byte[]? outputToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        outputToken = null;
        if (_pendingFailure is { } failure)
        {
            return failure;
        }

        uint major, minor, flags = 0;
        GssApi.GssOid* mech = null;
        GssApi.GssBuffer output = default;
        IntPtr context = _context.DangerousGetHandle();
        IntPtr source = IntPtr.Zero;
        IntPtr delegated = IntPtr.Zero;
        try
        {
            fixed (byte* input = inputToken)
            {
                var buffer = new GssApi.GssBuffer { Length = (nuint)inputToken.Length, Value = input };
                if (_isServer)
                {
                    major = GssApi.gss_accept_sec_context(
                        &minor, &context, _credential!.DangerousGetHandle(), &buffer, null, &source, &mech, &output, &flags, null, &delegated);
                }
                else
                {
                    major = GssApi.gss_init_sec_context(
                        &minor, _credential?.DangerousGetHandle() ?? IntPtr.Zero, &context, _target!.DangerousGetHandle(), GssApi.MechanismOf(_configuredPackage),
                        _requestFlags, 0, null, inputToken.IsEmpty ? null : &buffer, &mech, &output, &flags, null);
                }
            }

            _context.Update(context);
            if (output.Length != 0)
            {
                outputToken = output.AsSpan().ToArray();
            }

            if (GssApi.IsError(major))
            {
                // A server's KRB-ERROR is in what it produced; a client's, in what it received.
                return GssApiStatus.FromError(major, minor, _isServer ? outputToken : inputToken);
            }

            if ((major & GssApi.ContinueNeeded) != 0)
            {
                return SecurityStatus.ContinueNeeded;
            }

            _flags = flags;
            _package = GssApi.PackageOf(mech, _configuredPackage);
            if (_isServer)
            {
                _remotePrincipal = GssNameHandle.Display(source);
                if (delegated != IntPtr.Zero)
                {
                    _delegated = new GssCredentialHandle();
                    _delegated.Attach(delegated);
                    delegated = IntPtr.Zero;
                }
            }

            if (_exportProtection)
            {
                MoveProtectionToManagedCode();
            }

            return SecurityStatus.Completed;
        }
        finally
        {
            GssApi.Release(ref output);
            GssNameHandle.Release(source);
            GssCredentialHandle.Release(delegated);
        }
    }

    public override IClientContextFactory? TakeDelegatedCredential(string package)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        GssCredentialHandle? delegated = _delegated;
        _delegated = null;
        return delegated is null ? null : new GssApiDelegatedCredential(delegated, _remotePrincipal, package);
    }

    public override SecurityStatus Wrap(ReadOnlySpan<byte> message, bool encrypt, IBufferWriter<byte> output)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_managed is not null)
        {
            return _managed.Wrap(message, encrypt, output);
        }

        uint major, minor;
        int confState = 0;
        byte empty = 0;
        GssApi.GssBuffer token = default;
        try
        {
            fixed (byte* p = message)
            {
                // A zero-length message is legal; give MIT a valid pointer rather than NULL.
                var input = new GssApi.GssBuffer { Length = (nuint)message.Length, Value = p == null ? &empty : p };
                major = GssApi.gss_wrap(&minor, _context.DangerousGetHandle(), encrypt ? 1 : 0, GssApi.QopDefault, &input, &confState, &token);
            }

            if (GssApi.IsError(major))
            {
                return GssApiStatus.FromError(major, minor);
            }

            if (encrypt && confState == 0)
            {
                return new(SecurityStatusCode.SecurityQosFailed, "encryption was requested but the context cannot encrypt");
            }

            output.Write(token.AsSpan());
            return SecurityStatus.Completed;
        }
        finally
        {
            GssApi.Release(ref token);
        }
    }

    public override SecurityStatus Unwrap(ReadOnlySpan<byte> token, IBufferWriter<byte> output, out bool wasEncrypted)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_managed is not null)
        {
            return _managed.Unwrap(token, output, out wasEncrypted);
        }

        wasEncrypted = false;
        uint major, minor;
        int confState = 0;
        GssApi.GssBuffer message = default;

        // MIT's gss_unwrap rearranges its input in place (a sign-only token is rotated into "plaintext | header"
        // to verify its checksum), so it gets a copy: the caller's token stays as it was, e.g. for its sequence
        // check. The copy may end up holding plaintext, so it is cleared before it goes back to the pool.
        byte[] scratch = ArrayPool<byte>.Shared.Rent(Math.Max(token.Length, 1));
        try
        {
            token.CopyTo(scratch);
            fixed (byte* p = scratch)
            {
                var input = new GssApi.GssBuffer { Length = (nuint)token.Length, Value = p };
                major = GssApi.gss_unwrap(&minor, _context.DangerousGetHandle(), &input, &message, &confState, null);
            }

            if (GssApi.IsError(major))
            {
                return GssApiStatus.FromError(major, minor);
            }

            if ((major & (GssApi.DuplicateToken | GssApi.OldToken | GssApi.UnseqToken | GssApi.GapToken)) != 0)
            {
                return GssApiStatus.FromSupplementary(major, minor);
            }

            output.Write(message.AsSpan());
            wasEncrypted = confState != 0;
            return SecurityStatus.Completed;
        }
        finally
        {
            if (message.Value != null)
            {
                // The plaintext; MIT frees without clearing.
                new Span<byte>(message.Value, checked((int)message.Length)).Clear();
            }

            GssApi.Release(ref message);
            Array.Clear(scratch, 0, token.Length);
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    public override SecurityStatus GetMic(ReadOnlySpan<byte> message, IBufferWriter<byte> output)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_managed is not null)
        {
            return _managed.GetMic(message, output);
        }

        uint major, minor;
        byte empty = 0;
        GssApi.GssBuffer token = default;
        try
        {
            fixed (byte* p = message)
            {
                // A zero-length message is legal; give MIT a valid pointer rather than NULL.
                var input = new GssApi.GssBuffer { Length = (nuint)message.Length, Value = p == null ? &empty : p };
                major = GssApi.gss_get_mic(&minor, _context.DangerousGetHandle(), GssApi.QopDefault, &input, &token);
            }

            if (GssApi.IsError(major))
            {
                return GssApiStatus.FromError(major, minor);
            }

            output.Write(token.AsSpan());
            return SecurityStatus.Completed;
        }
        finally
        {
            GssApi.Release(ref token);
        }
    }

    public override SecurityStatus VerifyMic(ReadOnlySpan<byte> message, ReadOnlySpan<byte> mic)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_managed is not null)
        {
            return _managed.VerifyMic(message, mic);
        }

        uint major, minor, qop = 0;
        byte empty = 0;

        // Unlike gss_unwrap, MIT's gss_verify_mic only reads both buffers (it checksums a copy of
        // "message | header"), so the caller's spans are passed as they are; neither holds a secret to clear.
        fixed (byte* m = message)
        fixed (byte* t = mic)
        {
            var input = new GssApi.GssBuffer { Length = (nuint)message.Length, Value = m == null ? &empty : m };
            var token = new GssApi.GssBuffer { Length = (nuint)mic.Length, Value = t == null ? &empty : t };
            major = GssApi.gss_verify_mic(&minor, _context.DangerousGetHandle(), &input, &token, &qop);
        }

        if (GssApi.IsError(major))
        {
            return GssApiStatus.FromError(major, minor);
        }

        return (major & (GssApi.DuplicateToken | GssApi.OldToken | GssApi.UnseqToken | GssApi.GapToken)) != 0
            ? GssApiStatus.FromSupplementary(major, minor)
            : SecurityStatus.Completed;
    }

    public override void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _managed?.Dispose();
        _delegated?.Dispose();
        _context.Dispose();
        _target?.Dispose();
        if (_credentialReferenced)
        {
            _credential!.DangerousRelease(); // shared: the acceptor's, or a ClientCredential's
        }
        else if (!_isServer)
        {
            _credential?.Dispose();
        }
    }

    /// <summary>
    /// "service/host" → "service@host" as GSS_C_NT_HOSTBASED_SERVICE (as .NET does); a name with a realm after
    /// the slash ("service/host@REALM") → GSS_KRB5_NT_PRINCIPAL_NAME; "service@host" is already host-based.
    /// </summary>
    private static GssNameHandle? ImportTarget(string targetName, out uint major, out uint minor)
    {
        int slash = targetName.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0 && targetName.IndexOf('@', slash) >= 0)
        {
            return GssNameHandle.Import(targetName, GssApi.NtKerberosPrincipal, out major, out minor);
        }

        string hostBased = slash >= 0 ? string.Concat(targetName.AsSpan(0, slash), "@", targetName.AsSpan(slash + 1)) : targetName;
        return GssNameHandle.Import(hostBased, GssApi.NtHostBasedService, out major, out minor);
    }
}
