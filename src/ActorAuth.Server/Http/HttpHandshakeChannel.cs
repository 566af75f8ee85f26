using System.Net;
using ActorAuth.Protocol;
using ActorAuth.Security;
using ActorAuth.Server.Actors;
using ActorAuth.Server.Dialects;
using ActorAuth.Server.Metrics;
using ActorAuth.Server.Tcp;
using Akka.Actor;
using Microsoft.Extensions.Logging;

namespace ActorAuth.Server.Http;

/// <summary>
/// One security context's handshake over the HTTP requests of one connection (RFC 4559 binds a multi-leg context to
/// its connection): each request's <c>Authorization: Negotiate</c> token is the next frame the
/// <see cref="HandshakeActor"/> asked for, and the actor's answer completes that request's <see cref="NegotiateStep"/>.
/// HTTP/1.1 carries one request at a time per connection, so at most one step is outstanding.
/// </summary>
public sealed class HttpHandshakeChannel : IHandshakeChannel
{
    private readonly Lock _lock = new();
    private readonly ServerMetrics _metrics;
    private readonly ILogger _log;
    private IActorRef? _owner;
    private int _maxFrameLength = int.MaxValue;
    private byte[]? _pendingToken;
    private TaskCompletionSource<NegotiateStep>? _step;
    private ReadOnlyMemory<byte>? _finalToken;
    private ReadOnlyMemory<byte>? _errorToken;
    private ServerSecurityContext? _parked;
    private int _shutdown;
    private readonly Action<HttpHandshakeChannel> _ended;

    internal HttpHandshakeChannel(long id, EndPoint? remote, ServerMetrics metrics, ILogger log, Action<HttpHandshakeChannel> ended)
    {
        _ended = ended;
        Id = id;
        RemoteEndPoint = remote;
        _metrics = metrics;
        _log = log;
    }

    /// <inheritdoc />
    public long Id { get; }

    /// <inheritdoc />
    public EndPoint? RemoteEndPoint { get; }

    /// <summary>Unused: an answer is a response Kestrel writes under its own limits.</summary>
    public TimeSpan SendTimeout => TimeSpan.Zero;

    /// <summary>True once the handshake has ended, either way.</summary>
    public bool IsShutDown => Volatile.Read(ref _shutdown) != 0;

    /// <summary>Hands the request's token to the handshake and returns what it came to.</summary>
    internal Task<NegotiateStep> SubmitAsync(byte[] token)
    {
        // Completed on the handshake actor's thread as its last act: the request goes on there (serving and writing its
        // answer) rather than waiting for another thread-pool hop.
        var step = new TaskCompletionSource<NegotiateStep>();
        IActorRef? owner;
        lock (_lock)
        {
            if (IsShutDown)
            {
                return Task.FromResult<NegotiateStep>(new FailedStep(TeardownReason.Closed, null));
            }

            _step = step;
            owner = _owner;
            _owner = null;
            _pendingToken = owner is null ? token : null;
        }

        if (owner is not null)
        {
            Deliver(owner, token);
        }

        return step.Task;
    }

    /// <inheritdoc />
    public void RequestFrame(IActorRef owner, int maxFrameLength, FrameFormat format)
    {
        byte[]? token;
        lock (_lock)
        {
            _maxFrameLength = maxFrameLength;
            token = _pendingToken;
            _pendingToken = null;
            _owner = token is null ? owner : null;
        }

        if (token is not null)
        {
            Deliver(owner, token);
        }
    }

    private void Deliver(IActorRef owner, byte[] token) => owner.Tell(
        token.Length > _maxFrameLength ? new FramingFailed(FrameStatus.FrameTooLarge, (uint)token.Length) : new FrameReceived(token),
        ActorRefs.NoSender);

    /// <summary>The connection closed: a handshake waiting for its next leg ends, as on a TCP connection.</summary>
    internal void ClientClosed()
    {
        IActorRef? owner;
        lock (_lock)
        {
            owner = _owner;
            _owner = null;
        }

        owner?.Tell(new ConnectionClosed(TeardownReason.Closed, "the client closed the connection"), ActorRefs.NoSender);
    }

    /// <inheritdoc />
    public ValueTask<SendResult> SendFrameAsync(OutgoingFrame frame)
    {
        if (frame.Kind == HttpDialect.FailureKind)
        {
            // Goes out with the 401 that Shutdown completes next.
            _errorToken = frame.Payload;
            return ValueTask.FromResult(SendResult.Sent);
        }

        return ValueTask.FromResult(Complete(new ContinueStep(frame.Payload)) ? SendResult.Sent : SendResult.Closed);
    }

    /// <inheritdoc />
    public void QueueFrame(OutgoingFrame frame) => _finalToken = frame.Payload;

    /// <inheritdoc />
    public void ParkForHandoff(ServerSecurityContext context) => Volatile.Write(ref _parked, context);

    /// <summary>The request that carried the last token takes the context (no session actor: HTTP protects no messages); if it has gone, the context is disposed.</summary>
    public void Authenticated(HandshakeSucceeded succeeded, IActorRef supervisor)
    {
        Interlocked.Exchange(ref _shutdown, 1);
        _ended(this);
        if (Interlocked.Exchange(ref _parked, null) is { } context && !Complete(new AuthenticatedStep(succeeded, _finalToken)))
        {
            context.Dispose();
            _metrics.ContextDisposed();
        }
    }

    /// <inheritdoc />
    public void Shutdown(string phase, TeardownReason reason, string detail, string? principal = null)
    {
        if (Interlocked.Exchange(ref _shutdown, 1) != 0)
        {
            return;
        }

        _ended(this);
        if (_log.IsEnabled(LogLevel.Warning))
        {
            _log.LogWarning("http {ConnectionId} {Remote} refused in {Phase}: {Reason} ({Detail}) principal={Principal}",
                Id, RemoteEndPoint, phase, reason.Code(), detail, principal ?? "-");
        }

        if (Interlocked.Exchange(ref _parked, null) is { } context)
        {
            context.Dispose();
            _metrics.ContextDisposed();
        }

        Complete(new FailedStep(reason, _errorToken));
    }

    /// <summary>The server stops with this handshake unfinished: a parked context is disposed, a waiting request answered.</summary>
    internal void Abandon()
    {
        if (Interlocked.Exchange(ref _parked, null) is { } context)
        {
            context.Dispose();
            _metrics.ContextDisposed();
        }

        Complete(new FailedStep(TeardownReason.ShuttingDown, null));
    }

    private bool Complete(NegotiateStep step)
    {
        TaskCompletionSource<NegotiateStep>? pending;
        lock (_lock)
        {
            pending = _step;
            _step = null;
        }

        return pending?.TrySetResult(step) ?? false;
    }
}
