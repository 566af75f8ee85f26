using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using ActorAuth.Protocol;
using ActorAuth.Security;
using ActorAuth.Server.Dialects;
using ActorAuth.Server.Metrics;
using Akka.Actor;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace ActorAuth.Server.Tcp;

/// <summary>
/// One accepted TCP connection as its owning actor sees it: a pull-based frame pump (one frame per
/// <see cref="RequestFrame"/>, so the owner sets the pace and the handshake-to-session handoff can neither
/// lose nor reorder a frame), a framed send, and one <see cref="Shutdown"/> that is safe to call twice and
/// logs the connection's end exactly once.
/// </summary>
public sealed class ClientConnection : Actors.IHandshakeChannel
{
    private readonly ConnectionContext _transport;
    private readonly ServerMetrics _metrics;
    private readonly ILogger _log;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ServerSecurityContext? _contextInHandoff;
    private int _shutdown;
    private int _flushPending;
    private bool _framed;

    internal ClientConnection(long id, ConnectionContext transport, ServerMetrics metrics, ILogger log, TimeSpan sendTimeout)
    {
        Id = id;
        SendTimeout = sendTimeout;
        _transport = transport;
        _metrics = metrics;
        _log = log;
        RemoteEndPoint = transport.RemoteEndPoint;
    }

    /// <summary>The server-wide sequence number of this connection, shown in every log line about it.</summary>
    public long Id { get; }

    /// <summary>How long one send may wait for the client to read before the connection is aborted.</summary>
    public TimeSpan SendTimeout { get; }

    /// <summary>The client's address and port.</summary>
    public EndPoint? RemoteEndPoint { get; }

    /// <summary>Completes when the connection has been shut down.</summary>
    public Task Closed => _closed.Task;

    /// <summary>True once <see cref="Shutdown"/> has run.</summary>
    public bool IsShutDown => Volatile.Read(ref _shutdown) != 0;

    /// <summary>
    /// Reads the next frame in <paramref name="format"/> and tells <paramref name="owner"/> one <see cref="ConnectionEvent"/>.
    /// A header declaring more than <paramref name="maxFrameLength"/> is refused before its body is read. Only one
    /// request may be outstanding: the owner asks again after it has handled the event.
    /// </summary>
    public void RequestFrame(IActorRef owner, int maxFrameLength, FrameFormat format) =>
        _ = PumpOneFrameAsync(owner, maxFrameLength, format);

    private async Task PumpOneFrameAsync(IActorRef owner, int maxFrameLength, FrameFormat format)
    {
        ConnectionEvent result;
        PipeReader input = _transport.Transport.Input;
        try
        {
            while (true)
            {
                ReadResult read = await input.ReadAsync().ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = read.Buffer;
                FrameStatus status = WireFrames.TryRead(format, ref buffer, maxFrameLength, out byte kind, out ReadOnlySequence<byte> payload, out uint declared);
                if (status == FrameStatus.Complete)
                {
                    _framed = true;
                    result = new FrameReceived(payload.ToArray(), kind);
                    input.AdvanceTo(buffer.Start);
                    break;
                }

                if (status != FrameStatus.Incomplete)
                {
                    result = !_framed && ProxyHeader.IsHeaderStart(buffer) ? UntrustedProxyHeader() : new FramingFailed(status, declared);
                    input.AdvanceTo(buffer.Start);
                    break;
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (read.IsCompleted || read.IsCanceled)
                {
                    result = buffer.IsEmpty
                        ? new ConnectionClosed(TeardownReason.Closed, "the client closed the connection")
                        : new ConnectionClosed(TeardownReason.TruncatedFrame, $"the client closed the connection {buffer.Length} bytes into a frame");
                    break;
                }
            }
        }
        catch (Exception e) when (IsConnectionFailure(e))
        {
            result = new ConnectionClosed(TeardownReason.ConnectionError, e.Message);
        }

        if (!IsShutDown)
        {
            owner.Tell(result, ActorRefs.NoSender);
        }
    }

    /// <summary>
    /// A first frame that is a PROXY header from a peer that is not a trusted proxy (a trusted proxy's header was read
    /// before the connection got here). Every such header is a framing error in every TCP dialect (its first bytes
    /// declare over 64 MiB, more than max-frame may be, or a NegotiateStream version that is not 1.0), so this costs
    /// nothing on the path of an honest frame; it only names the refusal.
    /// </summary>
    private ConnectionClosed UntrustedProxyHeader() =>
        new(TeardownReason.UntrustedProxy, $"a PROXY protocol header from {RemoteEndPoint}, which is not a trusted proxy of this listener");

    /// <summary>Sends one length-prefixed frame; see <see cref="SendFrameAsync(OutgoingFrame)"/>.</summary>
    public ValueTask<SendResult> SendFrameAsync(ReadOnlyMemory<byte> payload) =>
        SendFrameAsync(new OutgoingFrame(FrameFormat.LengthPrefixed, 0, payload));

    /// <summary>
    /// Sends one frame (header and body in one flush). A flush the client's reading does not let finish within the
    /// send timeout is abandoned and the connection aborted (<see cref="SendResult.TimedOut"/>): a client that stops
    /// reading cannot hold its actor, socket and buffers. Never throws for a dead peer.
    /// </summary>
    public ValueTask<SendResult> SendFrameAsync(OutgoingFrame frame)
    {
        if (IsShutDown)
        {
            return ValueTask.FromResult(SendResult.Closed);
        }

        try
        {
            PipeWriter output = _transport.Transport.Output;
            WireFrames.Write(frame.Format, output, frame.Kind, frame.Payload.Span);
            ValueTask<FlushResult> flush = output.FlushAsync();
            return flush.IsCompletedSuccessfully
                ? ValueTask.FromResult(Outcome(flush.Result, timedOut: false))
                : AwaitFlushAsync(flush, output);
        }
        catch (Exception e) when (IsConnectionFailure(e))
        {
            return ValueTask.FromResult(SendResult.Closed);
        }
    }

    /// <summary>The slow path: the transport's buffer is full, so the flush waits on the client — at most the send timeout.</summary>
    private async ValueTask<SendResult> AwaitFlushAsync(ValueTask<FlushResult> flush, PipeWriter output)
    {
        using var timeout = new CancellationTokenSource(SendTimeout);
        bool timedOut = false;
        Volatile.Write(ref _flushPending, 1);
        using (timeout.Token.Register(() =>
        {
            timedOut = true;
            output.CancelPendingFlush();
        }))
        {
            try
            {
                return Outcome(await flush.ConfigureAwait(false), Volatile.Read(ref timedOut));
            }
            catch (Exception e) when (IsConnectionFailure(e))
            {
                return SendResult.Closed;
            }
            finally
            {
                Volatile.Write(ref _flushPending, 0);
            }
        }
    }

    private SendResult Outcome(FlushResult flushed, bool timedOut)
    {
        if (flushed.IsCanceled && timedOut)
        {
            // What is queued will never be read: drop it with the socket rather than wait to send it on close.
            _transport.Abort(new ConnectionAbortedException($"the client read nothing for {SendTimeout.TotalSeconds:0.###} s"));
            return SendResult.TimedOut;
        }

        return flushed.IsCanceled || flushed.IsCompleted ? SendResult.Closed : SendResult.Sent;
    }

    private static bool IsConnectionFailure(Exception e) =>
        e is IOException or ConnectionResetException or ConnectionAbortedException or InvalidOperationException or ObjectDisposedException;

    /// <summary>
    /// Queues one frame without sending it: it goes out with the next <see cref="SendFrameAsync"/> (in the same
    /// TCP segment when it fits), or when the connection is shut down. The handshake's last token waits for the
    /// greeting this way, so the client gets both in one read instead of two.
    /// </summary>
    public void QueueFrame(OutgoingFrame frame)
    {
        if (IsShutDown)
        {
            return;
        }

        try
        {
            WireFrames.Write(frame.Format, _transport.Transport.Output, frame.Kind, frame.Payload.Span);
        }
        catch (InvalidOperationException)
        {
            // Shut down from another thread (server stop) since the check: the frame has nowhere to go.
        }
    }

    /// <summary>
    /// Parks the security context on the connection while its ownership moves from the handshake actor to the
    /// session actor (<see cref="ClaimHandoff"/>), so that a handoff lost to a shutting-down actor system is
    /// still disposed (<see cref="Abandon"/>).
    /// </summary>
    public void ParkForHandoff(ServerSecurityContext context) => Volatile.Write(ref _contextInHandoff, context);

    /// <inheritdoc />
    public void Authenticated(Actors.HandshakeSucceeded succeeded, IActorRef supervisor) => supervisor.Tell(succeeded, ActorRefs.NoSender);

    /// <summary>The session actor takes ownership of the parked context.</summary>
    public void ClaimHandoff() => Volatile.Write(ref _contextInHandoff, null);

    /// <summary>
    /// Closes a connection that no actor owns any more (the actor system terminated before an actor took it, or
    /// while its context was in handoff): disposes a parked context and shuts the connection down.
    /// </summary>
    internal void Abandon(string reasonDetail)
    {
        if (Interlocked.Exchange(ref _contextInHandoff, null) is { } context)
        {
            context.Dispose();
            _metrics.ContextDisposed();
        }

        Shutdown("handshake", TeardownReason.ShuttingDown, reasonDetail);
    }

    /// <summary>
    /// Closes the connection after what was already sent has gone out, and logs why, once, with the phase
    /// (handshake or session), reason code and client principal if known. Later calls do nothing.
    /// </summary>
    public void Shutdown(string phase, TeardownReason reason, string detail, string? principal = null)
    {
        if (Interlocked.Exchange(ref _shutdown, 1) != 0)
        {
            return;
        }

        LogLevel level = reason is TeardownReason.Closed or TeardownReason.IdleTimeout ? LogLevel.Information : LogLevel.Warning;
        if (_log.IsEnabled(level))
        {
            _log.Log(level, "conn {ConnectionId} {Remote} closed in {Phase}: {Reason} ({Detail}) principal={Principal}",
                Id, RemoteEndPoint, phase, reason.Code(), detail, principal ?? "-");
        }

        _metrics.ConnectionClosed(phase, reason);

        if (Volatile.Read(ref _flushPending) != 0)
        {
            // A send is waiting on a client that does not read: what is queued would never drain, and the socket
            // would outlive the connection. Drop it.
            _transport.Abort(new ConnectionAbortedException("closed with a send the client was not reading"));
        }

        // Completing the output lets the transport send what is queued, then FIN. The pending read (if any) is
        // cancelled rather than completed under it; the TCP stage disposes the transport once Closed completes.
        _transport.Transport.Output.Complete();
        _transport.Transport.Input.CancelPendingRead();
        _closed.TrySetResult();
    }
}

/// <summary>How a send ended.</summary>
public enum SendResult
{
    /// <summary>The frame went to the transport.</summary>
    Sent,

    /// <summary>The connection was shut down or the client has gone.</summary>
    Closed,

    /// <summary>The client read nothing for the send timeout; the connection has been aborted.</summary>
    TimedOut,
}

/// <summary>What a failed send ends a connection for.</summary>
public static class SendResults
{
    /// <summary>The reason and the log's detail for a send that did not go out while the server <paramref name="doing"/>.</summary>
    public static (TeardownReason Reason, string Detail) Teardown(this SendResult result, Actors.IHandshakeChannel connection, string doing) => result == SendResult.TimedOut
        ? (TeardownReason.SendTimeout, $"the client read nothing for {connection.SendTimeout.TotalSeconds:0.###} s while the server {doing}")
        : (TeardownReason.ConnectionError, $"the client went away while the server {doing}");
}
