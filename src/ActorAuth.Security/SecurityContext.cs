using System.Buffers;
using System.Net.Security;
using System.Security.Principal;

namespace ActorAuth.Security;

/// <summary>
/// One security context (the seed's CtxtHandle). Not thread-safe — two threads using one GSSAPI context
/// crash the process — so a context has exactly one owner at a time (the handshake actor, then the session
/// actor). Failures are returned as <see cref="SecurityStatus"/>, never thrown.
/// </summary>
public abstract class SecurityContext : IDisposable
{
    private readonly SecurityContextPal _pal;
    private readonly WrapTokenSequence _receiveSequence = new();
    private bool _disposed;

    private protected SecurityContext(SecurityContextPal pal) => _pal = pal;

    private protected SecurityContextPal Pal => _pal;

    /// <summary>True once messages are protected in managed code (RFC 4121, <see cref="MessageProtection.Managed"/>) rather than by the platform's library.</summary>
    public bool IsProtectionManaged => _pal.IsProtectionManaged;

    /// <summary>The package in use: for Negotiate, the one SPNEGO chose once the context is complete.</summary>
    public string Package => _pal.Package;

    /// <summary>True once a step reported <see cref="SecurityStatusCode.Completed"/>.</summary>
    public bool IsCompleted { get; private set; }

    /// <summary>Legs processed so far (tokens passed to the package), the seed's AUTH_SEQ counter.</summary>
    public int Legs { get; private set; }

    /// <summary>What the package agreed to for this context (QueryContextAttributes). Meaningful once completed.</summary>
    public ContextAttributes Attributes => _pal.Attributes;

    /// <summary>The protection level the context provides: EncryptAndSign, Sign or None.</summary>
    public ProtectionLevel ProtectionLevel =>
        Attributes.HasFlag(ContextAttributes.Confidentiality) ? ProtectionLevel.EncryptAndSign
        : Attributes.HasFlag(ContextAttributes.Integrity) ? ProtectionLevel.Sign
        : ProtectionLevel.None;

    /// <summary>The impersonation level the client allowed the service.</summary>
    public TokenImpersonationLevel ImpersonationLevel => _pal.ImpersonationLevel;

    /// <summary>True once disposed; a disposed context holds no native resources.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>
    /// The platform's identity object for the peer once complete: a WindowsIdentity carrying the client's
    /// token on Windows (what impersonation runs under); null on Linux, where GSSAPI gives a name only.
    /// </summary>
    public IIdentity? PlatformIdentity => IsCompleted ? _pal.PlatformIdentity : null;

    private protected string RemotePrincipal => IsCompleted
        ? _pal.RemotePrincipal
        : throw new InvalidOperationException("The peer is not authenticated until the context completes.");

    /// <summary>Passes the peer's token (empty on a client's first leg) to the package and returns its output token, if any.</summary>
    private protected SecurityStatus Step(ReadOnlySpan<byte> inputToken, out byte[]? outputToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (IsCompleted)
        {
            throw new InvalidOperationException("The security context is already complete.");
        }

        Legs++;
        SecurityStatus status = _pal.Step(inputToken, out outputToken);
        IsCompleted = status.Code == SecurityStatusCode.Completed;
        if (IsCompleted && _pal.ExpectedReceiveSequence is ulong next)
        {
            _receiveSequence.Expect(next);
        }

        return status;
    }

    /// <summary>
    /// Protects one message (the seed's EncryptMessage/MakeSignature) into a GSS wrap token: encrypted and
    /// signed when <paramref name="encrypt"/>, signed only otherwise. Only on a completed context.
    /// </summary>
    public SecurityStatus Wrap(ReadOnlySpan<byte> message, bool encrypt, IBufferWriter<byte> output)
    {
        EnsureUsable();
        return _pal.Wrap(message, encrypt, output);
    }

    /// <summary>
    /// Verifies and, if it was encrypted, decrypts one wrap token (DecryptMessage/VerifySignature), then
    /// checks it is the next in the peer's sequence (<see cref="WrapTokenSequence"/>): a tampered, replayed,
    /// reordered or dropped message is an error. On any error the output must not be used — the caller
    /// discards what was written and ends the session.
    /// </summary>
    public SecurityStatus Unwrap(ReadOnlySpan<byte> token, IBufferWriter<byte> output, out bool wasEncrypted)
    {
        EnsureUsable();
        wasEncrypted = false;
        if (!WrapTokenSequence.TryReadSequenceNumber(token, out ulong sequenceNumber))
        {
            return WrapTokenSequence.NotRfc4121(token);
        }

        SecurityStatus status = _pal.Unwrap(token, output, out wasEncrypted);
        return status.IsError ? status : _receiveSequence.Check(sequenceNumber);
    }

    /// <summary>
    /// Writes the MIC token (RFC 2743 GSS_GetMIC, SSPI MakeSignature) of <paramref name="message"/>: a checksum
    /// the peer checks with <see cref="VerifyMic"/>; the message itself travels separately, in clear. It takes
    /// the next number of the sequence this side's wrap tokens use. Only on a completed context.
    /// </summary>
    public SecurityStatus GetMic(ReadOnlySpan<byte> message, IBufferWriter<byte> output)
    {
        EnsureUsable();
        return _pal.GetMic(message, output);
    }

    /// <summary>
    /// Verifies that <paramref name="mic"/> is the peer's MIC token of <paramref name="message"/> (GSS_VerifyMIC,
    /// VerifySignature), then checks it is the next in the peer's sequence, shared with its wrap tokens
    /// (<see cref="WrapTokenSequence"/>): a MIC of other bytes, a tampered one, and a replayed, reordered or
    /// dropped one are errors, with the codes <see cref="Unwrap"/> gives (MessageAltered, OutOfSequence).
    /// </summary>
    public SecurityStatus VerifyMic(ReadOnlySpan<byte> message, ReadOnlySpan<byte> mic)
    {
        EnsureUsable();
        if (!WrapTokenSequence.TryReadMicSequenceNumber(mic, out ulong sequenceNumber))
        {
            return WrapTokenSequence.NotRfc4121(mic);
        }

        SecurityStatus status = _pal.VerifyMic(message, mic);
        return status.IsError ? status : _receiveSequence.Check(sequenceNumber);
    }

    private void EnsureUsable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!IsCompleted)
        {
            throw new InvalidOperationException("Messages can be protected only once the context is complete.");
        }
    }

    /// <summary>Releases the native context and credential handles. Safe to call more than once.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _pal.Dispose();
        }

        GC.SuppressFinalize(this);
    }
}
