using ActorAuth.Actors;
using ActorAuth.Security;
using ActorAuth.Server.Metrics;
using ActorAuth.Server.Tcp;
using Microsoft.Extensions.Logging;

namespace ActorAuth.Server.Actors;

/// <summary>
/// An authenticated connection. Owns the security context handed over by the <see cref="HandshakeActor"/>
/// (disposing it when the session ends) and keeps the connection until the client closes it or it stays
/// idle past the configured timeout.
/// </summary>
public sealed class SessionActor : ReceiveActor
{
    private const string Phase = "session";

    private readonly ClientConnection _connection;
    private readonly ServerSecurityContext _context;
    private readonly string _principal;
    private readonly ServerOptions _options;
    private readonly ServerMetrics _metrics;
    private readonly ILogger _log;

    /// <summary>Takes ownership of the context in <paramref name="handoff"/>.</summary>
    public SessionActor(HandshakeSucceeded handoff, ServerOptions options, ServerMetrics metrics, ILogger log)
    {
        _connection = handoff.Connection;
        _context = handoff.SecurityContext;
        _principal = handoff.ClientPrincipal;
        _options = options;
        _metrics = metrics;
        _log = log;

        Receive<FrameReceived>(_ => _connection.RequestFrame(Self));
        Receive<FramingFailed>(failed => End(TeardownReasons.FromFrameStatus(failed.Status), $"declared frame length {failed.DeclaredLength} (maximum {_options.MaxFrameLength})"));
        Receive<ConnectionClosed>(closed => End(closed.Reason, closed.Detail));
        Receive<ReceiveTimeout>(_ => End(TeardownReason.IdleTimeout, $"idle for {_options.SessionIdleTimeout}"));
    }

    /// <inheritdoc />
    protected override void PreStart()
    {
        _metrics.SessionStarted();
        _log.LogInformation("conn {ConnectionId} {Remote} session started for {Principal}", _connection.Id, _connection.RemoteEndPoint, _principal);
        Context.SetReceiveTimeout(_options.SessionIdleTimeout);
        _connection.RequestFrame(Self);
    }

    private void End(TeardownReason reason, string detail)
    {
        _connection.Shutdown(Phase, reason, detail, _principal);
        Context.Stop(Self);
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        _context.Dispose();
        _metrics.ContextDisposed();
        _metrics.SessionEnded();
        _connection.Shutdown(Phase, TeardownReason.Closed, "the server ended the session", _principal);
    }
}
