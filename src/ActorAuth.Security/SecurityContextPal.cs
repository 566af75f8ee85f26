using System.Buffers;
using System.Security.Principal;

namespace ActorAuth.Security;

/// <summary>
/// The contract one platform implementation of a security context fulfils (as dotnet/runtime's
/// NegotiateAuthenticationPal): <see cref="NegotiateAuthenticationPal"/> everywhere, GssApiPal
/// on Linux/Unix where MIT libgssapi is called directly (added with the GSSAPI provider). Not thread-safe; one owner at a time.
/// </summary>
internal abstract class SecurityContextPal : IDisposable
{
    /// <summary>The package in use; for Negotiate, the mechanism SPNEGO chose once complete.</summary>
    public abstract string Package { get; }

    /// <summary>What the package agreed to; meaningful once complete.</summary>
    public abstract ContextAttributes Attributes { get; }

    /// <summary>On a server, the client's principal; on a client, the target name. Only once complete.</summary>
    public abstract string RemotePrincipal { get; }

    /// <summary>
    /// One leg of Accept/InitializeSecurityContext. <paramref name="outputToken"/> may be set even when the
    /// status is an error (a KRB-ERROR for the peer); the caller sends it if it is not empty.
    /// </summary>
    public abstract SecurityStatus Step(ReadOnlySpan<byte> inputToken, out byte[]? outputToken);

    /// <summary>Protects <paramref name="message"/> into a wrap token (RFC 4121), encrypted when <paramref name="encrypt"/>.</summary>
    public abstract SecurityStatus Wrap(ReadOnlySpan<byte> message, bool encrypt, IBufferWriter<byte> output);

    /// <summary>Verifies (and decrypts) a wrap token into <paramref name="output"/>; nothing is written unless it verifies.</summary>
    public abstract SecurityStatus Unwrap(ReadOnlySpan<byte> token, IBufferWriter<byte> output, out bool wasEncrypted);

    /// <summary>Writes the MIC token of <paramref name="message"/> (RFC 2743 GSS_GetMIC, SSPI MakeSignature) to <paramref name="output"/>.</summary>
    public abstract SecurityStatus GetMic(ReadOnlySpan<byte> message, IBufferWriter<byte> output);

    /// <summary>
    /// Verifies that <paramref name="mic"/> is the peer's MIC token of <paramref name="message"/> (GSS_VerifyMIC,
    /// VerifySignature); a tampered, replayed or out-of-sequence token gets the codes <see cref="Unwrap"/> gives.
    /// </summary>
    public abstract SecurityStatus VerifyMic(ReadOnlySpan<byte> message, ReadOnlySpan<byte> mic);

    /// <summary>
    /// The platform's own identity object for the peer, when it has one: on Windows a WindowsIdentity that
    /// carries the client's token (for impersonation); null where there is none (GSSAPI gives a name only).
    /// </summary>
    public virtual IIdentity? PlatformIdentity => null;

    /// <summary>
    /// The sequence number the peer's next token must carry, once complete, where the implementation knows it (the
    /// managed RFC 4121 engine, from MIT's exported context); null where the first token seen sets it.
    /// </summary>
    public virtual ulong? ExpectedReceiveSequence => null;

    /// <summary>
    /// On a server, the credential the client delegated (or, with constrained delegation, the one the service may
    /// use through S4U2Proxy), handed to the caller, who then owns it, for contexts of <paramref name="package"/>;
    /// null when there is none or it was taken.
    /// </summary>
    public virtual IClientContextFactory? TakeDelegatedCredential(string package) => null;

    /// <summary>True once messages are protected in managed code rather than by the platform's library.</summary>
    public virtual bool IsProtectionManaged => false;

    /// <summary>Releases native handles; safe to call twice.</summary>
    public abstract void Dispose();

    /// <summary>The impersonation level implied by the attributes.</summary>
    public TokenImpersonationLevel ImpersonationLevel =>
        Attributes.HasFlag(ContextAttributes.Delegation) ? TokenImpersonationLevel.Delegation
        : Attributes.HasFlag(ContextAttributes.Identification) ? TokenImpersonationLevel.Identification
        : TokenImpersonationLevel.Impersonation;
}
