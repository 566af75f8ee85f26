using System.Buffers;
using System.Net.Security;
using System.Security.Principal;
using ActorAuth.Protocol;
using ActorAuth.Security;

namespace ActorAuth.Client;

/// <summary>
/// A connection on which the client and the server have mutually authenticated and the server has sent its
/// greeting. Every message is protected by the security context: encrypted and signed, or signed only, as
/// <see cref="ActorAuthClientOptions.ProtectionLevel"/> asks. A reply that fails its integrity check or
/// arrives replayed or out of order is refused. Owns the context and the socket; dispose it to close both.
/// One request at a time: not for concurrent use.
/// </summary>
public sealed class AuthenticatedChannel : IAsyncDisposable
{
    private readonly FramedStream _stream;
    private readonly ClientSecurityContext _context;
    private readonly ActorAuthClientOptions _options;
    private Greeting? _greeting;

    internal AuthenticatedChannel(FramedStream stream, ClientSecurityContext context, ActorAuthClientOptions options)
    {
        _stream = stream;
        _context = context;
        _options = options;
    }

    /// <summary>The SPN the server proved it holds keys for.</summary>
    public string ServerPrincipal => _context.TargetName;

    /// <summary>The client principal as the server sees it (from its greeting), e.g. alice@ACTORAUTH.TEST.</summary>
    public string ClientPrincipal => Greeting.Client ?? string.Empty;

    /// <summary>The server's greeting: who it authenticated, the session's protection, the operations this client may invoke.</summary>
    public Greeting Greeting => _greeting ?? throw new InvalidOperationException("The greeting has not arrived.");

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

    internal async Task ReceiveGreetingAsync(CancellationToken cancellationToken)
    {
        byte[] plaintext = await ReceiveProtectedAsync(cancellationToken).ConfigureAwait(false);
        if (!Greeting.TryParse(plaintext, out Greeting? greeting) || greeting is null)
        {
            throw new ActorAuthClientException(ClientFailure.ProtocolViolation, "The server's greeting is not the JSON the protocol defines.");
        }

        if (!greeting.IsAccepted)
        {
            throw new ActorAuthClientException(ClientFailure.ServerRefused,
                $"The server authenticated the client but refused the session ({greeting.Reason}): {greeting.Message}");
        }

        _greeting = greeting;
    }

    /// <summary>Protects and sends one request for <paramref name="operation"/> (empty: the server's default operation).</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> message, string operation = "", CancellationToken cancellationToken = default)
    {
        var plaintext = new ArrayBufferWriter<byte>(1 + operation.Length + message.Length);
        SessionMessages.WriteRequest(plaintext, operation, message.Span);
        var token = new ArrayBufferWriter<byte>(plaintext.WrittenCount + 512);
        SecurityStatus status = _context.Wrap(plaintext.WrittenSpan, _options.ProtectionLevel == ProtectionLevel.EncryptAndSign, token);
        if (status.IsError)
        {
            throw new ActorAuthClientException(ClientFailure.SecurityFailure, $"Could not protect the request: {status}.");
        }

        await Io(() => _stream.SendAsync(token.WrittenMemory, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Receives and unprotects the next reply.</summary>
    /// <exception cref="ActorAuthClientException">The reply was rejected, malformed, or the connection closed.</exception>
    public async Task<SessionReply> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        byte[] plaintext = await ReceiveProtectedAsync(cancellationToken).ConfigureAwait(false);
        return SessionMessages.TryReadReply(plaintext, out ReplyStatus status, out ReadOnlyMemory<byte> body)
            ? new SessionReply(status, body)
            : throw new ActorAuthClientException(ClientFailure.ProtocolViolation, "The server's reply does not start with a known status byte.");
    }

    /// <summary>Sends one request and returns the body of its successful reply.</summary>
    /// <exception cref="ActorAuthClientException">Refused (<see cref="ClientFailure.AccessDenied"/>, <see cref="ClientFailure.UnknownOperation"/>), failed, or the channel broke.</exception>
    public async Task<ReadOnlyMemory<byte>> RequestAsync(ReadOnlyMemory<byte> message, string operation = "", CancellationToken cancellationToken = default)
    {
        await SendAsync(message, operation, cancellationToken).ConfigureAwait(false);
        SessionReply reply = await ReceiveAsync(cancellationToken).ConfigureAwait(false);
        return reply.Status switch
        {
            ReplyStatus.Ok => reply.Body,
            ReplyStatus.Denied => throw new ActorAuthClientException(ClientFailure.AccessDenied, $"Access denied: {reply.Text}."),
            ReplyStatus.UnknownOperation => throw new ActorAuthClientException(ClientFailure.UnknownOperation, $"Unknown operation: {reply.Text}."),
            _ => throw new ActorAuthClientException(ClientFailure.OperationFailed, $"The operation failed: {reply.Text}."),
        };
    }

    private async Task<byte[]> ReceiveProtectedAsync(CancellationToken cancellationToken)
    {
        byte[] token = await Io(() => _stream.ReceiveAsync(_options.MaxMessageLength + 512, cancellationToken)).ConfigureAwait(false)
            ?? throw new ActorAuthClientException(ClientFailure.ConnectionLost, "The server closed the connection (its log names the reason).");
        var plaintext = new ArrayBufferWriter<byte>(token.Length);
        SecurityStatus status = _context.Unwrap(token, plaintext, out _);
        return status.IsError
            ? throw new ActorAuthClientException(ClientFailure.MessageRejected, $"A message from the server was rejected: {status}.")
            : plaintext.WrittenSpan.ToArray();
    }

    private static async Task<T> Io<T>(Func<ValueTask<T>> operation)
    {
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new ActorAuthClientException(ClientFailure.ConnectionLost, $"The connection was lost: {e.Message}", e);
        }
    }

    private static async Task Io(Func<ValueTask> operation) => await Io(async () =>
    {
        await operation().ConfigureAwait(false);
        return true;
    }).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _context.Dispose();
        await _stream.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>One unprotected reply: its status and body.</summary>
public readonly record struct SessionReply(ReplyStatus Status, ReadOnlyMemory<byte> Body)
{
    /// <summary>The body as UTF-8 text (the reason, for a refusal).</summary>
    public string Text => System.Text.Encoding.UTF8.GetString(Body.Span);
}
