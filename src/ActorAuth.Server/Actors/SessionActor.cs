using System.Buffers;
using System.Net.Security;
using System.Security.Principal;
using ActorAuth.Protocol;
using ActorAuth.Server.Cluster;
using ActorAuth.Security;
using ActorAuth.Server.Sessions;
using ActorAuth.Server.Tcp;
using Akka.Actor;
using Microsoft.Extensions.Logging;

namespace ActorAuth.Server.Actors;

/// <summary>
/// The message-protection actor of one authenticated connection. Owns the security context handed over by
/// the <see cref="HandshakeActor"/> (and disposes it when the session ends). First, as in the seed, it sends
/// one protected greeting naming the client as the service sees it; then for each protected request it
/// unwraps (a tampered, replayed or reordered frame ends the session before anything reaches a handler),
/// applies the access check, runs the operation's handler and sends one protected reply. Requests below the
/// listener's protection level are refused; a reply is protected as its request was.
/// </summary>
public sealed partial class SessionActor : ConnectionActor
{
    private const string Phase = "session";

    private readonly ClientConnection _connection;
    private readonly ServerSecurityContext _context;
    private readonly SessionSettings _settings;
    private readonly SessionIdentity _identity;
    private readonly ILogger _log;
    private readonly ClientCredential? _delegated;
    private readonly CancellationTokenSource _stopping = new();
    private List<ISessionHandler> _started = [];

    /// <summary>Takes ownership of the context in <paramref name="handoff"/>, which came over <paramref name="connection"/>.</summary>
    public SessionActor(HandshakeSucceeded handoff, ClientConnection connection, SessionSettings settings)
    {
        _connection = connection;
        _context = handoff.SecurityContext;
        _connection.ClaimHandoff();
        _settings = settings;
        _log = settings.SessionLog;
        _identity = new SessionIdentity(
            _connection.Id, _connection.RemoteEndPoint, handoff.ClientPrincipal, settings.Options.ServicePrincipal,
            _context.Package, _context.ProtectionLevel, _context.ImpersonationLevel)
        {
            MaxMessageLength = settings.Options.MaxMessageLength,
        };

        // Owned by the session from here: released when it ends, whatever becomes of the handlers.
        try
        {
            _delegated = _context.TakeDelegatedCredential();
        }
        catch (SecurityPackageException e)
        {
            _log.LogWarning("conn {ConnectionId} the credential {Principal} delegated cannot be used; the session goes on without it: {Reason}",
                _connection.Id, handoff.ClientPrincipal, e.Message);
        }

        if (_delegated is not null)
        {
            settings.Metrics.DelegatedCredentialHeld();
        }
    }

    /// <inheritdoc />
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case BeginSession:
                Begin();
                break;
            case SessionAdmission admission:
                OnAdmission(admission);
                break;
            case EndSession end:
                End(end.Reason, end.Detail);
                break;
            case FrameReceived frame when _settings.Dialect.CarriesRequests:
                OnRequest(frame);
                break;
            case FrameReceived frame:
                OnGssSampleMessage(frame);
                break;
            case FramingFailed failed:
                End(TeardownReasons.FromFrameStatus(failed.Status),
                    $"declared frame length {failed.DeclaredLength} (maximum {_settings.Options.MaxSessionFrameLength} for a {_settings.Options.MaxMessageLength}-byte message)");
                break;
            case ConnectionClosed closed:
                End(closed.Reason, closed.Detail);
                break;
            case ReceiveTimeout:
                End(TeardownReason.IdleTimeout, $"idle for {_settings.Options.SessionIdleTimeout}");
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    /// <inheritdoc />
    protected override void PreStart()
    {
        _settings.Metrics.SessionStarted();
        if (_settings.Cluster is { } cluster)
        {
            // Admitted (not revoked, under the per-principal limit) and listed before the greeting says it started.
            cluster.Registry.Tell(new RegisterSession(new SessionEntry(cluster.Node, _connection.Id, _identity.ClientPrincipal,
                _settings.Metrics.Listener ?? "", _connection.RemoteEndPoint?.ToString() ?? "", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())));
        }
        else
        {
            Self.Tell(BeginSession.Instance);
        }
    }

    private void OnAdmission(SessionAdmission admission)
    {
        if (admission.Admitted)
        {
            Begin();
            return;
        }

        if (!_settings.Dialect.CarriesRequests)
        {
            End(admission.Reason, admission.Detail);
            return;
        }

        // The client is told why, protected, before the connection closes.
        var refusal = new Greeting { Status = "refused", Reason = admission.Reason.Code(), Message = admission.Detail };
        SendProtected(refusal.ToUtf8(), _identity.ProtectionLevel == ProtectionLevel.EncryptAndSign, () => End(admission.Reason, admission.Detail));
    }

    private void Begin()
    {
        if (!_settings.Dialect.CarriesRequests)
        {
            // gss-sample has no greeting: the client's first message follows the handshake.
            ISessionHandler handler = _settings.Handlers.Default;
            LogSessionStarted(handler.Operation, _identity.ImpersonationLevel.ToString());
            StartHandlersThenRead(MayInvoke(handler) ? [handler] : []);
            return;
        }

        string[] allowed = _settings.Handlers.All
            .Where(MayInvoke)
            .Select(h => h.Operation)
            .ToArray();
        var greeting = new Greeting
        {
            Client = _identity.ClientPrincipal,
            Service = _identity.ServicePrincipal,
            Package = _identity.Package,
            Protection = ProtectionName(_identity.ProtectionLevel),
            Impersonation = _identity.ImpersonationLevel.ToString(),
            Operations = allowed,
        };
        LogSessionStarted(string.Join(", ", allowed), greeting.Impersonation);
        SendProtected(greeting.ToUtf8(), _identity.ProtectionLevel == ProtectionLevel.EncryptAndSign,
            () => StartHandlersThenRead(_settings.Handlers.All.Where(h => allowed.Contains(h.Operation)).ToList()));
    }

    /// <summary>Whether the greeting offers <paramref name="handler"/>'s operation to this client: the rules grant it and, for an operators' one, the client is an operator.</summary>
    private bool MayInvoke(ISessionHandler handler) =>
        _settings.Policy.IsAllowed(_identity.ClientPrincipal, handler.Operation) && (!handler.OperatorsOnly || _settings.Policy.IsOperator(_identity.ClientPrincipal));

    private void LogSessionStarted(string operations, string impersonation)
    {
        if (_log.IsEnabled(LogLevel.Information))
        {
            _log.LogInformation(
                "conn {ConnectionId} {Remote} session started for {Principal} on {Listener}: protection {Protection} ({ProtectedBy}), impersonation level {Impersonation}, delegated credential {Delegated}, operations [{Operations}]",
                _connection.Id, _connection.RemoteEndPoint, _identity.ClientPrincipal, _settings.Metrics.Listener, ProtectionName(_identity.ProtectionLevel),
                _context.IsProtectionManaged ? "managed RFC 4121" : "the platform's library", impersonation,
                _delegated is null ? "none" : "held", operations);
        }
    }

    private void StartHandlersThenRead(List<ISessionHandler> handlers)
    {
        _started = handlers;
        Then(StartHandlersAsync(_started), _ =>
        {
            Context.SetReceiveTimeout(_settings.Options.SessionIdleTimeout);
            RequestNext();
        });
    }

    private void RequestNext() => _connection.RequestFrame(Self, _settings.Options.MaxSessionFrameLength, _settings.Dialect.SessionFormat);

    private async ValueTask<bool> StartHandlersAsync(List<ISessionHandler> handlers)
    {
        foreach (ISessionHandler handler in handlers)
        {
            await handler.OnSessionStartAsync(_identity, _stopping.Token).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>
    /// Unwraps a frame's token; on a failed check ends the session and returns null. <paramref name="belowRequired"/>
    /// says the token was signed only on a listener that requires encryption (the caller decides how to refuse it).
    /// </summary>
    private ArrayBufferWriter<byte>? Unwrap(FrameReceived frame, out bool wasEncrypted, out bool belowRequired)
    {
        var plaintext = new ArrayBufferWriter<byte>(frame.Payload.Length);
        SecurityStatus status = _context.Unwrap(frame.Payload, plaintext, out wasEncrypted);
        belowRequired = !wasEncrypted && _settings.Options.RequiredProtectionLevel == ProtectionLevel.EncryptAndSign;
        if (status.IsError)
        {
            End(TeardownReasons.FromSecurityStatus(status.Code), status.ToString());
            return null;
        }

        return plaintext;
    }

    private void OnRequest(FrameReceived frame)
    {
        if (Unwrap(frame, out bool wasEncrypted, out bool belowRequired) is not { } plaintext)
        {
            return;
        }

        if (belowRequired)
        {
            // Tell the client why, sealed, before closing: a client configured for sign-only learns the fix.
            var refusal = new ArrayBufferWriter<byte>();
            SessionMessages.WriteReply(refusal, ReplyStatus.Denied, "this listener requires encrypted (sealed) requests; the request was signed only"u8);
            SendProtected(refusal.WrittenMemory, encrypt: true, () =>
                End(TeardownReason.ProtectionRequirementsNotMet, "a signed-only request on a listener that requires encryption"));
            return;
        }

        _settings.Metrics.MessageReceived(plaintext.WrittenCount);
        if (!SessionMessages.TryReadRequest(plaintext.WrittenMemory, out string operation, out ReadOnlyMemory<byte> body, out string error))
        {
            End(TeardownReason.ProtocolViolation, error);
            return;
        }

        Then(HandleAsync(operation, body), result =>
        {
            (ReplyStatus replyStatus, ReadOnlyMemory<byte> reply) = result;
            var replyPlaintext = new ArrayBufferWriter<byte>(1 + reply.Length);
            SessionMessages.WriteReply(replyPlaintext, replyStatus, reply.Span);
            SendProtected(replyPlaintext.WrittenMemory, wasEncrypted, RequestNext);
        });
    }

    private async ValueTask<(ReplyStatus, ReadOnlyMemory<byte>)> HandleAsync(string operation, ReadOnlyMemory<byte> body)
    {
        ISessionHandler? handler = _settings.Handlers.Find(operation);
        if (handler is null)
        {
            return (ReplyStatus.UnknownOperation, Utf8($"no operation '{operation}' on this server"));
        }

        if (!_settings.Policy.IsAllowed(_identity.ClientPrincipal, handler.Operation))
        {
            return Deny(handler, $"{_identity.ClientPrincipal} may not invoke '{handler.Operation}'");
        }

        if (handler.OperatorsOnly && !_settings.Policy.IsOperator(_identity.ClientPrincipal))
        {
            return Deny(handler, $"'{handler.Operation}' is for operators; the authorization file's operators list does not name {_identity.ClientPrincipal}");
        }

        if (_identity.ImpersonationLevel < handler.RequiredImpersonationLevel)
        {
            return Deny(handler,
                $"'{handler.Operation}' needs the {handler.RequiredImpersonationLevel} impersonation level; {_identity.ClientPrincipal} granted {_identity.ImpersonationLevel}");
        }

        try
        {
            ReadOnlyMemory<byte> reply = await handler.HandleAsync(IdentityFor(handler), body, _stopping.Token);
            return reply.Length <= _settings.Options.MaxMessageLength
                ? (ReplyStatus.Ok, reply)
                : (ReplyStatus.Failed, Utf8($"the reply of {reply.Length} bytes exceeds the maximum message of {_settings.Options.MaxMessageLength}"));
        }
        catch (OperationDeniedException e)
        {
            return Deny(handler, e.Message);
        }
        catch (OperationFailedException e)
        {
            _log.LogWarning("conn {ConnectionId} handler {Operation} refused {Principal}: {Reason}", _connection.Id, handler.Operation, _identity.ClientPrincipal, e.Message);
            return (ReplyStatus.Failed, Utf8(e.Message));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log.LogError(e, "conn {ConnectionId} handler {Operation} failed for {Principal}", _connection.Id, handler.Operation, _identity.ClientPrincipal);
            return (ReplyStatus.Failed, Utf8($"the operation '{handler.Operation}' failed on the server"));
        }
    }

    /// <summary>A "denied" reply for <paramref name="reason"/> (sent to the client as it is), counted and logged once.</summary>
    private (ReplyStatus, ReadOnlyMemory<byte>) Deny(ISessionHandler handler, string reason)
    {
        _settings.Metrics.RequestDenied(handler.Operation);
        _log.LogWarning("conn {ConnectionId} {Remote} access denied to {Operation}: {Reason}", _connection.Id, _connection.RemoteEndPoint, handler.Operation, reason);
        return (ReplyStatus.Denied, Utf8(reason));
    }

    /// <summary>The identity a handler sees: the platform token only at Impersonation, the delegated credential only at Delegation.</summary>
    private SessionIdentity IdentityFor(ISessionHandler handler) => handler.RequiredImpersonationLevel switch
    {
        TokenImpersonationLevel.Delegation => _identity with { PlatformIdentity = _context.PlatformIdentity, DelegatedCredential = _delegated },
        TokenImpersonationLevel.Impersonation => _identity with { PlatformIdentity = _context.PlatformIdentity },
        _ => _identity,
    };

    /// <summary>Protects and sends <paramref name="plaintext"/>, then runs <paramref name="next"/>; a failure ends the session instead.</summary>
    private void SendProtected(ReadOnlyMemory<byte> plaintext, bool encrypt, Action next)
    {
        var token = new ArrayBufferWriter<byte>(plaintext.Length + ServerOptions.WrapOverhead);
        SecurityStatus status = _context.Wrap(plaintext.Span, encrypt, token);
        if (status.IsError)
        {
            End(TeardownReasons.FromSecurityStatus(status.Code), $"could not protect a reply: {status}");
            return;
        }

        int length = plaintext.Length;
        Then(_connection.SendFrameAsync(token.WrittenMemory), sent =>
        {
            if (sent != SendResult.Sent)
            {
                (TeardownReason reason, string detail) = sent.Teardown(_connection, "replied");
                End(reason, detail);
                return;
            }

            _settings.Metrics.MessageSent(length);
            next();
        });
    }

    private void End(TeardownReason reason, string detail)
    {
        _connection.Shutdown(Phase, reason, detail, _identity.ClientPrincipal);
        Context.Stop(Self);
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        _stopping.Cancel();
        _context.Dispose();
        _settings.Metrics.ContextDisposed();
        if (_delegated is not null)
        {
            _delegated.Dispose();
            _settings.Metrics.DelegatedCredentialReleased();
        }

        _settings.Metrics.SessionEnded();
        _settings.Cluster?.Registry.Tell(new SessionClosed(_connection.Id));
        _connection.Shutdown(Phase, TeardownReason.Closed, "the server ended the session", _identity.ClientPrincipal);
        if (_started.Count > 0)
        {
            _ = NotifySessionEndAsync(_started);
        }

        _stopping.Dispose();
    }

    private async Task NotifySessionEndAsync(IReadOnlyList<ISessionHandler> handlers)
    {
        foreach (ISessionHandler handler in handlers)
        {
            try
            {
                await handler.OnSessionEndAsync(_identity, CancellationToken.None);
            }
            catch (Exception e)
            {
                _log.LogError(e, "conn {ConnectionId} handler {Operation} failed at session end", _connection.Id, handler.Operation);
            }
        }
    }

    private static ReadOnlyMemory<byte> Utf8(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    /// <summary>How the greeting names a protection level.</summary>
    public static string ProtectionName(ProtectionLevel level) => level == ProtectionLevel.EncryptAndSign ? "encrypt" : "sign";

    /// <summary>Sent to itself at start: send the greeting and begin reading requests.</summary>
    private sealed record BeginSession
    {
        public static readonly BeginSession Instance = new();
    }
}
