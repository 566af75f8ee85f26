using System.Buffers;
using ActorAuth.Protocol;
using ActorAuth.Security;

namespace ActorAuth.Client;

/// <summary>
/// The client's side of one <see cref="WireDialect"/>: how the handshake's frames carry the package's tokens,
/// and how a message and its reply travel once the context is complete. <see cref="ActorAuthClient"/> and the
/// bench both run their connections through it, over their own <see cref="IFrameTransport"/>. Holds no
/// per-connection state, so one instance serves any number of connections.
/// </summary>
public sealed class ClientDialect
{
    private ClientDialect(WireDialect dialect, bool stockServer)
    {
        Dialect = dialect;
        StockServer = stockServer;
    }

    /// <summary>The dialect's framing.</summary>
    public WireDialect Dialect { get; }

    /// <summary>The server is a stock implementation of the dialect, not ActorAuth (see <see cref="ActorAuthClientOptions.StockServer"/>).</summary>
    public bool StockServer { get; }

    /// <summary>
    /// True when the server speaks ActorAuth's session: a protected greeting, then requests
    /// (<c>op-length | operation | body</c>) answered by status replies. Otherwise a request is the raw message.
    /// </summary>
    public bool IsActorAuthSession => !StockServer && Dialect != WireDialect.GssSample;

    /// <summary>True when the answer to a message is the server's MIC of it (gss-sample), not a protected reply.</summary>
    public bool RepliesWithMic => Dialect == WireDialect.GssSample;

    private FrameFormat HandshakeFormat => Dialect switch
    {
        WireDialect.NegotiateStream => FrameFormat.NegotiateStreamHandshake,
        WireDialect.GssSample => FrameFormat.GssSample,
        _ => FrameFormat.LengthPrefixed,
    };

    private FrameFormat DataFormat => Dialect == WireDialect.GssSample ? FrameFormat.GssSample : FrameFormat.LengthPrefixed;

    /// <summary>The dialect for <paramref name="dialect"/>, spoken to an ActorAuth server or, with <paramref name="stockServer"/>, a stock one.</summary>
    /// <exception cref="ArgumentException">A stock sockauth server: sockauth's session is ActorAuth's own; or http, which HTTP clients speak.</exception>
    public static ClientDialect For(WireDialect dialect, bool stockServer = false) => dialect switch
    {
        WireDialect.Http => throw new ArgumentException("An http listener speaks HTTP Negotiate (RFC 4559): use an HTTP client (actorauth http get, or HttpClient with Negotiate).", nameof(dialect)),
        WireDialect.Sockauth when stockServer => throw new ArgumentException("A stock server speaks negotiate-stream or gss-sample; sockauth's session is ActorAuth's own.", nameof(stockServer)),
        _ => new ClientDialect(dialect, stockServer),
    };

    /// <inheritdoc />
    public override string ToString() => StockServer ? $"{Dialect.Name()} (stock server)" : Dialect.Name();

    /// <summary>
    /// The context's first step, before anything is sent: its token opens the handshake. A failure here is the
    /// client's own (no ticket, wrong password, unknown target), so it can be reported before connecting.
    /// </summary>
    /// <exception cref="ActorAuthClientException"><see cref="ClientFailure.CredentialsRejected"/> or <see cref="ClientFailure.TargetUnknown"/>.</exception>
    public static byte[]? Begin(ClientSecurityContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        SecurityStatus status = context.Initialize(ReadOnlySpan<byte>.Empty, out byte[]? token);
        ThrowIfFailed(status, context, serverAnswered: false, serverToken: default);
        return token;
    }

    /// <summary>
    /// Runs the handshake from <paramref name="firstToken"/> (<see cref="Begin"/>'s) until both sides are done:
    /// the context is complete and has verified the server's proof (mutual authentication), and, in
    /// NegotiateStream, the server has sent its one "done" message.
    /// </summary>
    /// <exception cref="ActorAuthClientException">The server refused (closed, sent a KRB-ERROR or a NegotiateStream error), did not prove itself, or broke the framing.</exception>
    public async ValueTask HandshakeAsync(
        ClientSecurityContext context, byte[]? firstToken, IFrameTransport transport, int maxFrameLength, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(transport);
        FrameFormat format = HandshakeFormat;
        if (Dialect == WireDialect.GssSample)
        {
            // gss-server requires an opening NOOP; without CONTEXT_NEXT it takes the client as anonymous.
            await transport.SendAsync(format, (byte)(GssSampleFlags.Noop | GssSampleFlags.ContextNext), ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
        }

        byte[]? token = firstToken;
        bool serverDone = false;
        while (true)
        {
            if (token is { Length: > 0 })
            {
                await transport.SendAsync(format, TokenKind(context.IsCompleted), token, cancellationToken).ConfigureAwait(false);
            }

            if (context.IsCompleted && (serverDone || Dialect != WireDialect.NegotiateStream))
            {
                return;
            }

            ReceivedFrame frame = await transport.ReceiveAsync(format, maxFrameLength, cancellationToken).ConfigureAwait(false)
                ?? throw new ActorAuthClientException(ClientFailure.ServerRefused,
                    $"The server closed the connection after {context.Legs} leg(s) without completing the handshake: it refused the client's token " +
                    $"(for example, it holds no key for '{context.TargetName}', or it requires a different package or protection). The server's log names the reason.");
            if (!TakesToken(frame, context, ref serverDone))
            {
                return;
            }

            SecurityStatus status = context.Initialize(frame.Payload.Span, out token);
            ThrowIfFailed(status, context, serverAnswered: true, frame.Payload.Span);
        }
    }

    /// <summary>Writes a request's plaintext: ActorAuth's request layout, or the raw message for a server without one.</summary>
    /// <exception cref="ArgumentException">An operation name for a server without operations, an invalid name, or a message larger than the dialect carries in one frame.</exception>
    public void WriteRequest(IBufferWriter<byte> plaintext, string operation, ReadOnlySpan<byte> message)
    {
        CheckRequest(operation, message.Length);
        if (IsActorAuthSession)
        {
            SessionMessages.WriteRequest(plaintext, operation, message);
        }
        else
        {
            plaintext.Write(message);
        }
    }

    /// <summary>Checks that a request for <paramref name="operation"/> with a message of <paramref name="messageLength"/> bytes can be sent in this dialect.</summary>
    /// <exception cref="ArgumentException">An operation name for a server without operations, or a message larger than the dialect carries in one frame.</exception>
    public void CheckRequest(string operation, int messageLength)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (!IsActorAuthSession && operation.Length > 0)
        {
            throw new ArgumentException($"A {this} server takes the raw message, without an operation name; got '{operation}'.", nameof(operation));
        }

        int length = IsActorAuthSession ? 1 + operation.Length + messageLength : messageLength;
        if (Dialect == WireDialect.NegotiateStream && length > NegotiateStreamCodec.MaxWriteDataSize)
        {
            // .NET splits a larger write into several frames, and a request is exactly one frame.
            throw new ArgumentException(
                $"A negotiate-stream message carries at most {NegotiateStreamCodec.MaxWriteDataSize} bytes of plaintext in its one frame; this one has {length}.", nameof(messageLength));
        }
    }

    /// <summary>Protects <paramref name="plaintext"/> into <paramref name="wrapped"/> (reset first) and sends it as one data message.</summary>
    /// <exception cref="ActorAuthClientException"><see cref="ClientFailure.SecurityFailure"/>: the package could not protect it.</exception>
    public async ValueTask SendAsync(
        SecurityContext context, IFrameTransport transport, ReadOnlyMemory<byte> plaintext, bool encrypt, ArrayBufferWriter<byte> wrapped, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(wrapped);
        wrapped.ResetWrittenCount();
        SecurityStatus status = context.Wrap(plaintext.Span, encrypt, wrapped);
        if (status.IsError)
        {
            throw new ActorAuthClientException(ClientFailure.SecurityFailure, $"Could not protect the message: {status}.");
        }

        GssSampleFlags flags = GssSampleFlags.Data | GssSampleFlags.Wrapped | GssSampleFlags.SendMic | (encrypt ? GssSampleFlags.Encrypted : GssSampleFlags.None);
        byte kind = Dialect == WireDialect.GssSample ? (byte)flags : (byte)0;
        await transport.SendAsync(DataFormat, kind, wrapped.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Receives one protected message (the greeting, or a reply) and unprotects it into <paramref name="plaintext"/>
    /// (reset first); the result is valid until that buffer is next used.
    /// </summary>
    /// <exception cref="ActorAuthClientException"><see cref="ClientFailure.MessageRejected"/>: tampered, replayed, reordered, or not encrypted though <paramref name="requireEncrypted"/>; or the connection broke.</exception>
    public async ValueTask<ReadOnlyMemory<byte>> ReceiveProtectedAsync(
        SecurityContext context, IFrameTransport transport, int maxFrameLength, bool requireEncrypted, ArrayBufferWriter<byte> plaintext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(plaintext);
        ReceivedFrame frame = await ReceiveDataAsync(transport, maxFrameLength, cancellationToken).ConfigureAwait(false);
        plaintext.ResetWrittenCount();
        SecurityStatus status = context.Unwrap(frame.Payload.Span, plaintext, out bool encrypted);
        return status.IsError || (requireEncrypted && !encrypted)
            ? throw new ActorAuthClientException(ClientFailure.MessageRejected, $"A message from the server was rejected: {(status.IsError ? status.ToString() : "it was not encrypted")}.")
            : plaintext.WrittenMemory;
    }

    /// <summary>
    /// Receives the answer to <paramref name="sent"/> (the plaintext of the message it answers): a protected reply
    /// (as <see cref="ReceiveProtectedAsync"/>), or in gss-sample the server's MIC of <paramref name="sent"/>, verified,
    /// with an empty result.
    /// </summary>
    /// <exception cref="ActorAuthClientException"><see cref="ClientFailure.MessageRejected"/>: the reply or signature failed its check; or the server broke the protocol or the connection.</exception>
    public async ValueTask<ReadOnlyMemory<byte>> ReceiveReplyAsync(
        SecurityContext context, IFrameTransport transport, ReadOnlyMemory<byte> sent, int maxFrameLength, bool requireEncrypted,
        ArrayBufferWriter<byte> plaintext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!RepliesWithMic)
        {
            return await ReceiveProtectedAsync(context, transport, maxFrameLength, requireEncrypted, plaintext, cancellationToken).ConfigureAwait(false);
        }

        ReceivedFrame frame = await ReceiveDataAsync(transport, maxFrameLength, cancellationToken).ConfigureAwait(false);
        if (!((GssSampleFlags)frame.Kind).HasFlag(GssSampleFlags.Mic))
        {
            throw new ActorAuthClientException(ClientFailure.ProtocolViolation, $"The server answered a message with flags 0x{frame.Kind:X2} instead of its MIC.");
        }

        SecurityStatus status = context.VerifyMic(sent.Span, frame.Payload.Span);
        return status.IsError
            ? throw new ActorAuthClientException(ClientFailure.MessageRejected, $"The server's signature of the message did not verify: {status}.")
            : ReadOnlyMemory<byte>.Empty;
    }

    /// <summary>Reads a reply's plaintext: ActorAuth's status and body, or, from a server without statuses, the whole of it as a successful body.</summary>
    /// <exception cref="ActorAuthClientException"><see cref="ClientFailure.ProtocolViolation"/>: no known status byte.</exception>
    public SessionReply ReadReply(ReadOnlyMemory<byte> plaintext) =>
        !IsActorAuthSession ? new SessionReply(ReplyStatus.Ok, plaintext)
        : SessionMessages.TryReadReply(plaintext, out ReplyStatus status, out ReadOnlyMemory<byte> body) ? new SessionReply(status, body)
        : throw new ActorAuthClientException(ClientFailure.ProtocolViolation, "The server's reply does not start with a known status byte.");

    /// <summary>Says goodbye where the dialect has a goodbye (gss-sample's NOOP, after which gss-server deletes its context); elsewhere does nothing.</summary>
    public ValueTask GoodbyeAsync(IFrameTransport transport, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transport);
        return Dialect == WireDialect.GssSample
            ? transport.SendAsync(FrameFormat.GssSample, (byte)GssSampleFlags.Noop, ReadOnlyMemory<byte>.Empty, cancellationToken)
            : ValueTask.CompletedTask;
    }

    private byte TokenKind(bool completed) => Dialect switch
    {
        // .NET's client sends its final token as "done", and every other one as "in progress".
        WireDialect.NegotiateStream => (byte)(completed ? NegotiateStreamMessageId.HandshakeDone : NegotiateStreamMessageId.HandshakeInProgress),
        WireDialect.GssSample => (byte)GssSampleFlags.Context,
        _ => 0,
    };

    /// <summary>
    /// Judges a handshake frame by its kind: true if its payload is the next token for the context, false if the
    /// handshake is over (the server's "done" after the client completed: [MS-NNS] 3.1.5.4 says its payload is ignored).
    /// </summary>
    private bool TakesToken(ReceivedFrame frame, ClientSecurityContext context, ref bool serverDone)
    {
        if (Dialect == WireDialect.GssSample)
        {
            return ((GssSampleFlags)frame.Kind).HasFlag(GssSampleFlags.Context)
                ? true
                : throw new ActorAuthClientException(ClientFailure.ProtocolViolation, $"The server sent a token with flags 0x{frame.Kind:X2} during the handshake instead of a context token.");
        }

        if (Dialect != WireDialect.NegotiateStream)
        {
            return true;
        }

        switch ((NegotiateStreamMessageId)frame.Kind)
        {
            case NegotiateStreamMessageId.HandshakeError:
                throw new ActorAuthClientException(ClientFailure.ServerRefused,
                    $"The server refused the handshake after {context.Legs} leg(s) with NegotiateStream error {ErrorCode(frame.Payload.Span)}.");
            case NegotiateStreamMessageId.HandshakeDone:
                serverDone = true;
                return context.IsCompleted
                    ? false
                    : !frame.Payload.IsEmpty
                        ? true
                        : throw new ActorAuthClientException(ClientFailure.ServerNotProven,
                            $"The server declared the handshake done without the token that proves it holds the keys of '{context.TargetName}'.");
            case NegotiateStreamMessageId.HandshakeInProgress when !context.IsCompleted:
                return true;
            default:
                throw new ActorAuthClientException(ClientFailure.ProtocolViolation, context.IsCompleted
                    ? $"The server sent NegotiateStream message 0x{frame.Kind:X2} after the client's context completed; only \"done\" may follow."
                    : $"The server sent a NegotiateStream message with the unknown id 0x{frame.Kind:X2}.");
        }
    }

    /// <summary>The error code of a NegotiateStream error message in hex (its low 32 bits: an SSPI status or Win32 error), with its name when it is one .NET sends.</summary>
    private static string ErrorCode(ReadOnlySpan<byte> payload)
    {
        if (!NegotiateStreamCodec.TryReadErrorCode(payload, out long code))
        {
            return $"without an error code ({payload.Length}-byte payload)";
        }

        string? name = code switch
        {
            NegotiateStreamCodec.LogonDenied => "SEC_E_LOGON_DENIED",
            NegotiateStreamCodec.TrustFailure => "ERROR_TRUST_FAILURE",
            NegotiateStreamCodec.InvalidToken => "SEC_E_INVALID_TOKEN",
            NegotiateStreamCodec.InternalError => "SEC_E_INTERNAL_ERROR",
            _ => null,
        };
        return name is null ? $"0x{(uint)code:X8}" : $"0x{(uint)code:X8} ({name})";
    }

    private async ValueTask<ReceivedFrame> ReceiveDataAsync(IFrameTransport transport, int maxFrameLength, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transport);
        return await transport.ReceiveAsync(DataFormat, maxFrameLength, cancellationToken).ConfigureAwait(false)
            ?? throw new ActorAuthClientException(ClientFailure.ConnectionLost, "The server closed the connection (its log names the reason).");
    }

    /// <summary>
    /// Throws for a failed step. Before the server has answered, the failure is the client's own (no ticket,
    /// wrong password, unknown target). After, a KRB-ERROR from the server means it refused the client's
    /// ticket (its text names why: clock skew, not for us, replay); anything else means the server's answer
    /// did not prove it holds the SPN's keys.
    /// </summary>
    private static void ThrowIfFailed(SecurityStatus status, ClientSecurityContext context, bool serverAnswered, ReadOnlySpan<byte> serverToken)
    {
        if (!status.IsError)
        {
            return;
        }

        (ClientFailure failure, string stage) = (serverAnswered, status.Code) switch
        {
            (false, SecurityStatusCode.TargetUnknown) => (ClientFailure.TargetUnknown, "obtaining a ticket for the target"),
            (false, _) => (ClientFailure.CredentialsRejected, "obtaining a ticket for the target before contacting the server"),
            _ when KerberosErrorToken.IsKrbError(serverToken) => (ClientFailure.ServerRefused, "the server refused the client's ticket"),
            _ => (ClientFailure.ServerNotProven, "verifying the server's answer"),
        };
        throw new ActorAuthClientException(failure, $"Authentication to '{context.TargetName}' failed ({stage}): {status.Message} ({status.Code}).");
    }
}
