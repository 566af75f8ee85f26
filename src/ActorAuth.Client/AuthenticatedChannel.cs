using System.Net.Security;
using System.Security.Principal;
using ActorAuth.Security;

namespace ActorAuth.Client;

/// <summary>
/// A connection on which the client and the server have mutually authenticated. Owns the security context
/// and the socket; dispose it to close both.
/// </summary>
public sealed class AuthenticatedChannel : IAsyncDisposable
{
    private readonly FramedStream _stream;
    private readonly ClientSecurityContext _context;

    internal AuthenticatedChannel(FramedStream stream, ClientSecurityContext context)
    {
        _stream = stream;
        _context = context;
    }

    /// <summary>The SPN the server proved it holds keys for.</summary>
    public string ServerPrincipal => _context.TargetName;

    /// <summary>The package the handshake used (for Negotiate, the one SPNEGO chose).</summary>
    public string Package => _context.Package;

    /// <summary>Always true for a channel that exists: the handshake fails otherwise.</summary>
    public bool IsMutuallyAuthenticated => _context.Attributes.HasFlag(ContextAttributes.MutualAuthentication);

    /// <summary>The protection the context provides.</summary>
    public ProtectionLevel ProtectionLevel => _context.ProtectionLevel;

    /// <summary>The impersonation level the client allowed.</summary>
    public TokenImpersonationLevel ImpersonationLevel => _context.ImpersonationLevel;

    /// <summary>The context attributes the package agreed to.</summary>
    public ContextAttributes Attributes => _context.Attributes;

    /// <summary>Tokens the client processed during the handshake.</summary>
    public int Legs => _context.Legs;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _context.Dispose();
        await _stream.DisposeAsync().ConfigureAwait(false);
    }
}
