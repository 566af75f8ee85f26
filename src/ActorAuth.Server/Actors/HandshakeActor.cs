using System.Buffers;
using System.Diagnostics;
using ActorAuth.Protocol;
using ActorAuth.Security;
using ActorAuth.Server.Cluster;
using ActorAuth.Server.Dialects;
using ActorAuth.Server.Metrics;
using ActorAuth.Server.Sessions;
using ActorAuth.Server.Tcp;
using Akka.Actor;
using Microsoft.Extensions.Logging;

namespace ActorAuth.Server.Actors;

/// <summary>
/// One connection's authentication: the seed's DoAuthentication/GenServerContext loop as an actor.
/// Receive a token, pass it to the package (AcceptSecurityContext), send the package's output back, until
/// the package reports complete — then hand the security context to a <see cref="SessionActor"/> and stop.
/// Owns the context (the seed's CtxtHandle, never shared) and the seed's AUTH_SEQ state: the
/// new-conversation flag is <see cref="HandshakeState.AwaitingFirstToken"/>, the legs are counted by the
/// context, the start time is kept here. A receive timeout tears down a client that goes quiet, so nothing
/// waits on it forever.
/// </summary>
public sealed partial class HandshakeActor : ConnectionActor
{
    private const string Phase = "handshake";

    private readonly IHandshakeChannel _connection;
    private readonly ServerCredential _credential;
    private readonly SessionSettings _settings;
    private readonly ServerOptions _options;
    private readonly ServerDialect _dialect;
    private readonly ServerMetrics _metrics;
    private readonly ILogger _log;
    private readonly long _startedAt = Stopwatch.GetTimestamp();
    private ServerSecurityContext? _context;
    private HandshakeState _state = HandshakeState.AwaitingFirstToken;
    private bool _opened;
    private ICancelable? _deadline;

    /// <summary>Creates the actor for <paramref name="connection"/> (a TCP connection or an HTTP one's requests); the security context is created in <see cref="PreStart"/>.</summary>
    public HandshakeActor(IHandshakeChannel connection, ServerCredential credential, SessionSettings settings)
    {
        _connection = connection;
        _credential = credential;
        _settings = settings;
        _options = settings.Options;
        _dialect = settings.Dialect;
        _metrics = settings.Metrics;
        _log = settings.HandshakeLog;
    }

    /// <summary>Where the handshake is.</summary>
    public HandshakeState State => _state;

    private int Legs => _context?.Legs ?? 0;

    /// <inheritdoc />
    protected override void PreStart()
    {
        _context = _credential.CreateContext(_options.RequiredProtectionLevel, _dialect.RequiresMutualAuthentication, _dialect.ProtectsMessages);
        _metrics.ContextCreated();
        Context.SetReceiveTimeout(_options.HandshakeReceiveTimeout);
        // The message is marked, so it does not reset the receive timeout. One cancelable tell rather than an actor
        // timer: IWithTimers builds a timer table per actor, and this actor is made per connection.
        _deadline = Context.System.Scheduler.ScheduleTellOnceCancelable(_options.HandshakeDeadline, Self, HandshakeDeadlinePassed.Instance, Self);
        RequestToken();
    }

    private void RequestToken() => _connection.RequestFrame(Self, _options.MaxFrameLength, _dialect.HandshakeFormat);

    /// <inheritdoc />
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case FrameReceived frame:
                OnToken(frame);
                break;
            case FramingFailed failed:
                Fail(TeardownReasons.FromFrameStatus(failed.Status), failed.Status == FrameStatus.UnsupportedVersion
                    ? "a NegotiateStream handshake header of a version other than 1.0"
                    : $"declared frame length {failed.DeclaredLength} (maximum {_options.MaxFrameLength})");
                break;
            case ConnectionClosed closed:
                Fail(closed.Reason, $"{closed.Detail} after {Legs} leg(s)");
                break;
            case ReceiveTimeout:
                Fail(TeardownReason.ReceiveTimeout, $"no token for {_options.HandshakeReceiveTimeout.TotalSeconds:0.###} s after {Legs} leg(s)");
                break;
            case TokenChecked check:
                OnReplayChecked(check);
                break;
            case HandshakeDeadlinePassed:
                Fail(TeardownReason.HandshakeDeadline, $"the handshake was not complete {_options.HandshakeDeadline.TotalSeconds:0.###} s after accept ({Legs} leg(s))");
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void OnToken(FrameReceived frame)
    {
        ServerSecurityContext context = _context!;
        HandshakeInput input = _dialect.Read(frame.Kind, frame.Payload.Length, first: !_opened);
        _opened = true;
        if (input.Action == HandshakeAction.Skip)
        {
            RequestToken();
            return;
        }

        if (input.Action == HandshakeAction.Refuse)
        {
            Fail(input.Reason, $"{input.Detail} after {Legs} leg(s)");
            return;
        }

        if (context.Legs >= _options.MaxHandshakeLegs)
        {
            Fail(TeardownReason.TooManyLegs, $"the client sent more than {_options.MaxHandshakeLegs} tokens");
            return;
        }

        if (AwaitsReplayCheck(frame))
        {
            return;
        }

        AcceptToken(context, frame);
    }

    private void AcceptToken(ServerSecurityContext context, FrameReceived frame)
    {
        SecurityStatus status = context.Accept(frame.Payload, out byte[]? outputToken);
        if (status.Code == SecurityStatusCode.Completed && _options.Package == SecurityPackages.Kerberos && context.Package != SecurityPackages.Kerberos)
        {
            // A negotiate-stream listener's credential accepts SPNEGO; a Kerberos-only service admits what it negotiated only if that is Kerberos.
            status = new(SecurityStatusCode.SecurityQosFailed, $"SPNEGO negotiated {context.Package}; this service accepts Kerberos only");
        }

        if (status.Code == SecurityStatusCode.Completed && IsRevoked(context, out string? revoked))
        {
            Fail(TeardownReason.Revoked, revoked);
            return;
        }

        if (status.Code == SecurityStatusCode.Completed)
        {
            // The last token of a successful handshake is queued rather than sent when the session's greeting
            // follows at once and carries it along.
            if (_dialect.Final(outputToken) is not { } final)
            {
                Complete(context);
            }
            else if (_dialect.CarriesRequests)
            {
                _connection.QueueFrame(final);
                Complete(context);
            }
            else
            {
                SendThen(final, sent => Complete(context, sent));
            }

            return;
        }

        // As the seed does, the output token goes back even when the package failed (a KRB-ERROR lets the
        // client's package name the reason), in the dialect's own failure message where it has one.
        bool refuseInSession = status.Code == SecurityStatusCode.SecurityQosFailed && context.IsCompleted && _dialect.RefusesWithProtectedGreeting;
        OutgoingFrame? answer = status.Code == SecurityStatusCode.ContinueNeeded ? _dialect.Continue(outputToken)
            : refuseInSession ? _dialect.Final(outputToken)
            : _dialect.Failure(outputToken, status.Code);
        SendThen(answer, sent =>
        {
            if (sent != SendResult.Sent)
            {
                (TeardownReason reason, string detail) = sent.Teardown(_connection, "answered its token");
                Fail(reason, detail);
            }
            else if (status.Code == SecurityStatusCode.ContinueNeeded)
            {
                _state = HandshakeState.Continuing;
                RequestToken();
            }
            else if (refuseInSession)
            {
                // Authenticated, but not as this listener requires: say why, protected, then close.
                SendThen(RefusalFrame(context, status), _ => Fail(TeardownReason.ProtectionRequirementsNotMet, $"{status} after {context.Legs} leg(s)"));
            }
            else
            {
                Fail(TeardownReasons.FromSecurityStatus(status.Code), $"{status} after {context.Legs} leg(s)");
            }
        });
    }

    /// <summary>Sends <paramref name="frame"/> (none: nothing to send), then goes on with how the send ended.</summary>
    private void SendThen(OutgoingFrame? frame, Action<SendResult> then)
    {
        if (frame is { } f)
        {
            Then(_connection.SendFrameAsync(f), then);
        }
        else
        {
            then(SendResult.Sent);
        }
    }

    private OutgoingFrame? RefusalFrame(ServerSecurityContext context, SecurityStatus status)
    {
        var refusal = new Greeting
        {
            Status = "refused",
            Reason = TeardownReason.ProtectionRequirementsNotMet.Code(),
            Message = $"this service requires mutual authentication and {SessionActor.ProtectionName(_options.RequiredProtectionLevel)} protection: {status.Message}",
        };
        var token = new ArrayBufferWriter<byte>();
        return context.Wrap(refusal.ToUtf8(), context.Attributes.HasFlag(ContextAttributes.Confidentiality), token).IsError
            ? null
            : new OutgoingFrame(FrameFormat.LengthPrefixed, 0, token.WrittenMemory);
    }

    private void Complete(ServerSecurityContext context, SendResult sent = SendResult.Sent)
    {
        if (sent != SendResult.Sent)
        {
            (TeardownReason reason, string detail) = sent.Teardown(_connection, "sent its last token");
            Fail(reason, detail);
            return;
        }

        _state = HandshakeState.Completed;
        Context.SetReceiveTimeout(null);
        TimeSpan duration = Stopwatch.GetElapsedTime(_startedAt);
        string principal = context.ClientPrincipal;
        _metrics.HandshakeSucceeded(duration);
        if (_log.IsEnabled(LogLevel.Information))
        {
            _log.LogInformation(
                "conn {ConnectionId} {Remote} authenticated {Principal} with {Package} in {Legs} leg(s), {DurationMs:0.0} ms, protection {Protection}, mutual, on {Listener}",
                _connection.Id, _connection.RemoteEndPoint, principal, context.Package, context.Legs, duration.TotalMilliseconds, context.ProtectionLevel, _metrics.Listener);
            if (_dialect.Kind == WireDialect.GssSample)
            {
                // The line gss-server prints, so what checks a gss-server's output finds it here too.
                _log.LogInformation("conn {ConnectionId} Accepted connection: \"{Principal}\"", _connection.Id, principal);
            }
        }

        // Ownership of the context moves with the message; this actor no longer disposes it. It is parked on the
        // connection until the session actor claims it, so a handoff lost in a shutdown is still disposed.
        _context = null;
        _connection.ParkForHandoff(context);
        _connection.Authenticated(new HandshakeSucceeded(_connection, _settings, context, principal, duration), Context.Parent);
        Context.Stop(Self);
    }

    private void Fail(TeardownReason reason, string detail)
    {
        if (_state is HandshakeState.Completed or HandshakeState.Failed)
        {
            return;
        }

        _state = HandshakeState.Failed;
        _metrics.HandshakeFailed(reason);
        _connection.Shutdown(Phase, reason, detail);
        Context.Stop(Self);
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        _deadline?.Cancel(throwOnFirstException: false);
        if (_context is not null)
        {
            _context.Dispose();
            _context = null;
            _metrics.ContextDisposed();
        }

        if (_state is not (HandshakeState.Completed or HandshakeState.Failed))
        {
            // Stopped from outside (server shutdown) or by the supervisor after a throw.
            _state = HandshakeState.Failed;
            _metrics.HandshakeFailed(TeardownReason.InternalError);
            _connection.Shutdown(Phase, TeardownReason.InternalError, "the handshake actor stopped before the handshake ended");
        }
    }
}

/// <summary>Sent to itself when the whole-handshake deadline passes; does not reset the receive timeout.</summary>
internal sealed record HandshakeDeadlinePassed : INotInfluenceReceiveTimeout
{
    public static readonly HandshakeDeadlinePassed Instance = new();
}

/// <summary>The explicit states of the handshake loop.</summary>
public enum HandshakeState
{
    /// <summary>No token yet: the seed's fNewConversation.</summary>
    AwaitingFirstToken,

    /// <summary>The package asked for another leg.</summary>
    Continuing,

    /// <summary>Mutually authenticated; the context has moved to the session actor.</summary>
    Completed,

    /// <summary>Torn down with a reason.</summary>
    Failed,
}
