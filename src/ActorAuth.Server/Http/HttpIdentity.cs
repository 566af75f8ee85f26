using System.Net;
using System.Security.Principal;
using ActorAuth.Security;
using ActorAuth.Server.Metrics;

namespace ActorAuth.Server.Http;

/// <summary>
/// Who an HTTP request authenticated as: the security context its Negotiate token completed, owned by the request
/// and disposed when the response is done (each request carries its own token, so nothing outlives it).
/// </summary>
internal sealed class HttpIdentity : IDisposable
{
    private readonly ServerMetrics _metrics;
    private ServerSecurityContext? _context;

    public HttpIdentity(long id, EndPoint? remote, ServerSecurityContext context, string principal, ServerMetrics metrics)
    {
        Id = id;
        RemoteEndPoint = remote;
        _context = context;
        _metrics = metrics;
        Principal = principal;
        Package = context.Package;
        MutualAuthentication = context.Attributes.HasFlag(ContextAttributes.MutualAuthentication);
        ImpersonationLevel = context.ImpersonationLevel;
    }

    /// <summary>The handshake's number in the logs.</summary>
    public long Id { get; }

    /// <summary>The client's address.</summary>
    public EndPoint? RemoteEndPoint { get; }

    /// <summary>The authenticated client, e.g. alice@ACTORAUTH.TEST.</summary>
    public string Principal { get; }

    /// <summary>The package the context negotiated (Kerberos, NTLM).</summary>
    public string Package { get; }

    /// <summary>True when the client asked the server to prove itself, and the answer carries that proof.</summary>
    public bool MutualAuthentication { get; }

    /// <summary>How far the client let the server act as it.</summary>
    public TokenImpersonationLevel ImpersonationLevel { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _context, null) is { } context)
        {
            context.Dispose();
            _metrics.ContextDisposed();
        }
    }
}
