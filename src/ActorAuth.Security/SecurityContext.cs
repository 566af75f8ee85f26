using System.Net.Security;
using System.Security.Principal;

namespace ActorAuth.Security;

/// <summary>
/// One security context (the seed's CtxtHandle) over <see cref="NegotiateAuthentication"/>: SSPI on Windows,
/// MIT GSSAPI on Linux. Not thread-safe — two threads using one GSSAPI context crash the process — so a
/// context has exactly one owner at a time (the handshake actor, then the session actor).
/// </summary>
public abstract class SecurityContext : IDisposable
{
    private protected readonly NegotiateAuthentication Authentication;
    private bool _disposed;

    private protected SecurityContext(NegotiateAuthentication authentication) => Authentication = authentication;

    /// <summary>The package in use: for Negotiate, the one SPNEGO chose once the context is complete.</summary>
    public string Package => Authentication.Package;

    /// <summary>True once a step reported <see cref="SecurityStatusCode.Completed"/>; says nothing of success of later checks.</summary>
    public bool IsCompleted { get; private set; }

    /// <summary>Legs processed so far (tokens passed to the package), the seed's AUTH_SEQ counter.</summary>
    public int Legs { get; private set; }

    /// <summary>What the package agreed to for this context (QueryContextAttributes). Meaningful once completed.</summary>
    public ContextAttributes Attributes =>
        (Authentication.IsMutuallyAuthenticated ? ContextAttributes.MutualAuthentication : 0)
        | (Authentication.IsSigned ? ContextAttributes.Integrity : 0)
        | (Authentication.IsEncrypted ? ContextAttributes.Confidentiality : 0)
        | (ImpersonationLevel == TokenImpersonationLevel.Delegation ? ContextAttributes.Delegation : 0)
        | (ImpersonationLevel == TokenImpersonationLevel.Identification ? ContextAttributes.Identification : 0);

    /// <summary>The protection level the context provides: EncryptAndSign, Sign or None.</summary>
    public ProtectionLevel ProtectionLevel =>
        Authentication.IsEncrypted ? ProtectionLevel.EncryptAndSign
        : Authentication.IsSigned ? ProtectionLevel.Sign
        : ProtectionLevel.None;

    /// <summary>The impersonation level the client allowed the service.</summary>
    public TokenImpersonationLevel ImpersonationLevel => Authentication.ImpersonationLevel;

    /// <summary>True once disposed; a disposed context holds no native resources.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>Passes the peer's token (empty on a client's first leg) to the package and returns its output token, if any.</summary>
    private protected SecurityStatus Step(ReadOnlySpan<byte> inputToken, out byte[]? outputToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (IsCompleted)
        {
            throw new InvalidOperationException("The security context is already complete.");
        }

        Legs++;
        outputToken = Authentication.GetOutgoingBlob(inputToken, out NegotiateAuthenticationStatusCode code);
        SecurityStatus status = SecurityStatus.From(code);
        IsCompleted = status.Code == SecurityStatusCode.Completed;
        return status;
    }

    /// <summary>Releases the native context and credential handles. Safe to call more than once.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            Authentication.Dispose();
        }

        GC.SuppressFinalize(this);
    }
}
