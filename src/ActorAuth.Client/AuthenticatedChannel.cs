using System.Buffers;
using System.Net.Security;
using System.Security.Principal;
using ActorAuth.Protocol;
using ActorAuth.Security;

namespace ActorAuth.Client;

/// <summary>
/// A connection on which the client and the server have mutually authenticated and, if it is ActorAuth, the
/// server has sent its greeting. Every message is protected by the security context: encrypted and signed, or
/// signed only, as <see cref="ActorAuthClientOptions.ProtectionLevel"/> asks. A reply that fails its integrity
/// check or arrives replayed or out of order is refused. Owns the context and the socket; dispose it to close
/// both. One request at a time: not for concurrent use.
/// </summary>
public sealed class AuthenticatedChannel : IAsyncDisposable
{
    private static readonly TimeSpan GoodbyeTimeout = TimeSpan.FromSeconds(1);
    private readonly FramedStream _stream;
    private readonly ClientSecurityContext _context;
    private readonly ActorAuthClientOptions _options;
    private readonly ClientDialect _dialect;

    // gss-sample answers a message with its MIC, which is checked against the plaintext sent.
    private readonly Queue<ReadOnlyMemory<byte>> _awaitingMic = new();
    private Greeting? _greeting;

    internal AuthenticatedChannel(FramedStream stream, ClientSecurityContext context, ActorAuthClientOptions options, ClientDialect dialect)
    {
        _stream = stream;
        _context = context;
        _options = options;
        _dialect = dialect;
    }

    /// <summary>The discovered instance this channel is to, when it was opened through discovery; otherwise null.</summary>
    public DiscoveredService? Instance { get; internal set; }

    /// <summary>The instances tried and failed before <see cref="Instance"/> answered (empty when the first did, or without discovery).</summary>
    public IReadOnlyList<InstanceAttempt> SkippedInstances { get; internal set; } = [];

    /// <summary>The wire dialect and kind of server this channel speaks to.</summary>
    public ClientDialect Dialect => _dialect;

    /// <summary>The SPN the server proved it holds keys for.</summary>
    public string ServerPrincipal => _context.TargetName;

    /// <summary>
    /// The client principal, e.g. alice@ACTORAUTH.TEST: as the server saw it (its greeting) when it sends one;
    /// otherwise the <see cref="ActorAuthClientOptions.SharedCredential"/>'s, or empty when that is unknown.
    /// </summary>
    public string ClientPrincipal => (HasGreeting ? Greeting.Client : _options.SharedCredential?.Principal) ?? string.Empty;

    /// <summary>True when the server sent a greeting: an ActorAuth server in sockauth or negotiate-stream.</summary>
    public bool HasGreeting => _dialect.IsActorAuthSession;

    /// <summary>The server's greeting: who it authenticated, the session's protection, the operations this client may invoke.</summary>
    /// <exception cref="InvalidOperationException">The server sends none (<see cref="HasGreeting"/> is false).</exception>
    public Greeting Greeting => _greeting ?? throw new InvalidOperationException(HasGreeting
        ? "The greeting has not arrived."
        : $"A {_dialect} server sends no greeting: the client principal, protection and operations are not known from it.");

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

    private bool Encrypt => _options.ProtectionLevel == ProtectionLevel.EncryptAndSign;

    internal async Task ReceiveGreetingAsync(CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte> plaintext = await Io(() => _dialect.ReceiveProtectedAsync(
            _context, _stream, _options.MaxMessageLength + 512, Encrypt, new ArrayBufferWriter<byte>(), cancellationToken)).ConfigureAwait(false);
        if (!Greeting.TryParse(plaintext.Span, out Greeting? greeting) || greeting is null)
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

    /// <summary>
    /// Protects and sends one request for <paramref name="operation"/> (empty: the server's default operation). To a
    /// server without operations (gss-sample, a stock server) the request is <paramref name="message"/> itself.
    /// </summary>
    /// <exception cref="ArgumentException">An operation for a server without operations, or a message larger than the dialect carries (negotiate-stream: 0xFC00 bytes of plaintext).</exception>
    public async Task SendAsync(ReadOnlyMemory<byte> message, string operation = "", CancellationToken cancellationToken = default)
    {
        var plaintext = new ArrayBufferWriter<byte>(1 + operation.Length + message.Length);
        _dialect.WriteRequest(plaintext, operation, message.Span);
        var token = new ArrayBufferWriter<byte>(plaintext.WrittenCount + 512);
        await Io(() => _dialect.SendAsync(_context, _stream, plaintext.WrittenMemory, Encrypt, token, cancellationToken)).ConfigureAwait(false);
        if (_dialect.RepliesWithMic)
        {
            _awaitingMic.Enqueue(plaintext.WrittenMemory);
        }
    }

    /// <summary>
    /// Receives and unprotects the next reply. From a server without statuses it is <see cref="ReplyStatus.Ok"/> with
    /// the reply's plaintext as its body; in gss-sample, the server's signature of the oldest unanswered request,
    /// verified, with an empty body.
    /// </summary>
    /// <exception cref="ActorAuthClientException">The reply was rejected, malformed, or the connection closed.</exception>
    /// <exception cref="InvalidOperationException">gss-sample, and no request awaits its answer.</exception>
    public async Task<SessionReply> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        ReadOnlyMemory<byte> sent = default;
        if (_dialect.RepliesWithMic && !_awaitingMic.TryDequeue(out sent))
        {
            throw new InvalidOperationException("No request awaits its answer: a gss-sample server answers only what it was sent.");
        }

        ReadOnlyMemory<byte> plaintext = await Io(() => _dialect.ReceiveReplyAsync(
            _context, _stream, sent, _options.MaxMessageLength + 512, Encrypt, new ArrayBufferWriter<byte>(), cancellationToken)).ConfigureAwait(false);
        return _dialect.ReadReply(plaintext);
    }

    /// <summary>Sends one request and returns the body of its successful reply (empty in gss-sample, where success is the verified signature).</summary>
    /// <exception cref="ActorAuthClientException">Refused (<see cref="ClientFailure.AccessDenied"/>, <see cref="ClientFailure.UnknownOperation"/>), failed, or the channel broke.</exception>
    public async Task<ReadOnlyMemory<byte>> RequestAsync(ReadOnlyMemory<byte> message, string operation = "", CancellationToken cancellationToken = default)
    {
        await SendAsync(message, operation, cancellationToken).ConfigureAwait(false);
        SessionReply reply = await ReceiveAsync(cancellationToken).ConfigureAwait(false);
        return reply.EnsureOk();
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

    /// <summary>Says the dialect's goodbye, if it has one (best effort: the server may be gone), then closes the context and the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(GoodbyeTimeout);
            await _dialect.GoodbyeAsync(_stream, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection is closing anyway; the server treats a missing goodbye as the client leaving.
        }

        _context.Dispose();
        await _stream.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>One unprotected reply: its status and body.</summary>
public readonly record struct SessionReply(ReplyStatus Status, ReadOnlyMemory<byte> Body)
{
    /// <summary>The body as UTF-8 text (the reason, for a refusal).</summary>
    public string Text => System.Text.Encoding.UTF8.GetString(Body.Span);

    /// <summary>The body of a successful reply.</summary>
    /// <exception cref="ActorAuthClientException">The reply is a refusal: <see cref="ClientFailure.AccessDenied"/>, <see cref="ClientFailure.UnknownOperation"/> or <see cref="ClientFailure.OperationFailed"/>, with the server's reason.</exception>
    public ReadOnlyMemory<byte> EnsureOk() => Status switch
    {
        ReplyStatus.Ok => Body,
        ReplyStatus.Denied => throw new ActorAuthClientException(ClientFailure.AccessDenied, $"Access denied: {Text}."),
        ReplyStatus.UnknownOperation => throw new ActorAuthClientException(ClientFailure.UnknownOperation, $"Unknown operation: {Text}."),
        _ => throw new ActorAuthClientException(ClientFailure.OperationFailed, $"The operation failed: {Text}."),
    };
}
