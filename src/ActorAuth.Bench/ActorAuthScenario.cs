using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using ActorAuth.Client;
using ActorAuth.Protocol;
using ActorAuth.Security;

namespace ActorAuth.Bench;

/// <summary>
/// ActorAuth's protocol (docs/PROTOCOL.md) spoken over the bench's own sockets with the public Security and
/// Protocol APIs — the same handshake, greeting and protected echo as <see cref="ActorAuthClient"/>, plus
/// what the client library has no option for: binding to a chosen source address (so one machine can open
/// more than the ~28k ephemeral ports of one address), and buffers reused across every session a worker opens.
/// Failures are <see cref="ActorAuthClientException"/> with the client's <see cref="ClientFailure"/> codes.
/// </summary>
public sealed class ActorAuthScenario : ILoadScenario
{
    private readonly IPEndPoint _server;
    private readonly string _spn;
    private readonly IReadOnlyList<IPAddress> _sources;
    private readonly IReadOnlyList<BenchUser> _users;
    private int _nextSource;

    /// <summary>Targets <paramref name="server"/> as <paramref name="spn"/>; each session uses the next of <paramref name="users"/>.</summary>
    public ActorAuthScenario(IPEndPoint server, string spn, IReadOnlyList<IPAddress> sourceAddresses, IReadOnlyList<BenchUser> users)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentException.ThrowIfNullOrWhiteSpace(spn);
        if (users.Count == 0)
        {
            throw new ArgumentException("At least one user is needed.", nameof(users));
        }

        _server = server;
        _spn = spn;
        _sources = sourceAddresses;
        _users = users;
    }

    /// <summary>
    /// Each connection acquires its own credential (MIT reads the default ticket cache at every step), as a client
    /// that does not share a <see cref="ClientCredential"/> does — to measure what sharing one saves.
    /// </summary>
    public bool CredentialPerConnection { get; init; }

    /// <summary>Largest frame accepted from the server during the handshake.</summary>
    public int MaxFrameLength { get; init; } = FrameCodec.DefaultMaxFrameLength;

    /// <inheritdoc />
    public string Name => "actorauth";

    /// <inheritdoc />
    public ILoadWorker CreateWorker(int index) => new Worker(this, index);

    /// <inheritdoc />
    public string Classify(Exception failure) => failure switch
    {
        ActorAuthClientException c => c.Failure.ToString(),
        OperationCanceledException => nameof(ClientFailure.Timeout),
        SocketException or IOException or ObjectDisposedException => nameof(ClientFailure.ConnectionLost),
        _ => failure.GetType().Name,
    };

    private IPAddress? NextSource() => _sources.Count == 0 ? null : _sources[(int)((uint)Interlocked.Increment(ref _nextSource) % (uint)_sources.Count)];

    private sealed class Worker(ActorAuthScenario scenario, int index) : ILoadWorker
    {
        private readonly ArrayBufferWriter<byte> _plain = new(4096);
        private readonly ArrayBufferWriter<byte> _wrapped = new(4096);
        private byte[] _receive = new byte[16 * 1024];
        private byte[] _send = new byte[8 * 1024];
        private int _sessions = index;

        public async ValueTask<ILoadSession> OpenAsync(CancellationToken cancellationToken)
        {
            BenchUser user = scenario._users[_sessions++ % scenario._users.Count];
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            ClientSecurityContext? context = null;
            try
            {
                if (scenario.NextSource() is { } source)
                {
                    BindSource(socket, source);
                }

                try
                {
                    await socket.ConnectAsync(scenario._server, cancellationToken).ConfigureAwait(false);
                }
                catch (SocketException e)
                {
                    throw new ActorAuthClientException(ClientFailure.ConnectFailed, $"Cannot connect to {scenario._server}: {e.Message}.", e);
                }

                var session = new Session(this, socket);
                context = scenario.CredentialPerConnection
                    ? new ClientSecurityContext(new ClientContextOptions { Package = user.Credential.Options.Package, TargetName = scenario._spn })
                    : user.Credential.CreateContext(scenario._spn);
                SecurityStatus status = context.Initialize(ReadOnlySpan<byte>.Empty, out byte[]? token);
                ThrowIfFailed(status, serverAnswered: false, serverToken: null);
                while (true)
                {
                    if (token is { Length: > 0 })
                    {
                        await SendFrameAsync(socket, token, cancellationToken).ConfigureAwait(false);
                    }

                    if (status.Code == SecurityStatusCode.Completed)
                    {
                        break;
                    }

                    Memory<byte> reply = await ReceiveFrameAsync(socket, scenario.MaxFrameLength, cancellationToken).ConfigureAwait(false);
                    if (reply.IsEmpty)
                    {
                        throw new ActorAuthClientException(ClientFailure.ServerRefused, "The server closed the connection during the handshake.");
                    }

                    status = context.Initialize(reply.Span, out token);
                    ThrowIfFailed(status, serverAnswered: true, serverToken: reply.Span);
                }

                session.Context = context;
                ReadOnlyMemory<byte> greetingBytes = await ReceiveProtectedAsync(session, cancellationToken).ConfigureAwait(false);
                ReadOnlySpan<byte> greeting = greetingBytes.Span;
                if (greeting.IndexOf("\"status\":\"ok\""u8) < 0)
                {
                    throw new ActorAuthClientException(ClientFailure.ServerRefused, "The server's greeting refused the session.");
                }

                if (greeting.IndexOf(user.GreetingClient) < 0)
                {
                    throw new ActorAuthClientException(ClientFailure.ProtocolViolation, $"The server authenticated someone other than {user.Name}.");
                }

                return session;
            }
            catch
            {
                context?.Dispose();
                socket.Dispose();
                throw;
            }
        }

        public async ValueTask RoundTripAsync(Session session, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
        {
            _plain.ResetWrittenCount();
            SessionMessages.WriteRequest(_plain, string.Empty, message.Span);
            _wrapped.ResetWrittenCount();
            SecurityStatus status = session.Context!.Wrap(_plain.WrittenSpan, encrypt: true, _wrapped);
            if (status.IsError)
            {
                throw new ActorAuthClientException(ClientFailure.SecurityFailure, $"Could not protect the request: {status}.");
            }

            await SendFrameAsync(session.Socket, _wrapped.WrittenMemory, cancellationToken).ConfigureAwait(false);
            ReadOnlyMemory<byte> reply = await ReceiveProtectedAsync(session, cancellationToken).ConfigureAwait(false);
            if (reply.IsEmpty || reply.Span[0] != (byte)ReplyStatus.Ok)
            {
                throw new ActorAuthClientException(reply.IsEmpty ? ClientFailure.ProtocolViolation : (ReplyStatus)reply.Span[0] switch
                {
                    ReplyStatus.Denied => ClientFailure.AccessDenied,
                    ReplyStatus.UnknownOperation => ClientFailure.UnknownOperation,
                    _ => ClientFailure.OperationFailed,
                }, "The server did not echo the request.");
            }

            if (!reply.Span[1..].SequenceEqual(message.Span))
            {
                throw new ActorAuthClientException(ClientFailure.ProtocolViolation, "The echo differs from the request.");
            }
        }

        /// <summary>Receives one wrap token and unwraps it into the worker's plaintext buffer (valid until the next call).</summary>
        private async ValueTask<ReadOnlyMemory<byte>> ReceiveProtectedAsync(Session session, CancellationToken cancellationToken)
        {
            Memory<byte> token = await ReceiveFrameAsync(session.Socket, int.MaxValue, cancellationToken).ConfigureAwait(false);
            if (token.IsEmpty)
            {
                throw new ActorAuthClientException(ClientFailure.ConnectionLost, "The server closed the connection.");
            }

            _plain.ResetWrittenCount();
            SecurityStatus status = session.Context!.Unwrap(token.Span, _plain, out bool encrypted);
            if (status.IsError || !encrypted)
            {
                throw new ActorAuthClientException(ClientFailure.MessageRejected, $"A message from the server was rejected: {(status.IsError ? status.ToString() : "not encrypted")}.");
            }

            return _plain.WrittenMemory;
        }

        private async ValueTask SendFrameAsync(Socket socket, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
        {
            int length = FrameCodec.HeaderLength + payload.Length;
            if (_send.Length < length)
            {
                _send = new byte[Math.Max(length, _send.Length * 2)];
            }

            BinaryPrimitives.WriteUInt32LittleEndian(_send, (uint)payload.Length);
            payload.CopyTo(_send.AsMemory(FrameCodec.HeaderLength));
            int sent = 0;
            while (sent < length)
            {
                sent += await socket.SendAsync(_send.AsMemory(sent, length - sent), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// Reads exactly one frame into the worker's receive buffer; empty if the server closed cleanly before a
        /// header. Reads header then body separately so no bytes of the next frame are consumed: every session
        /// a worker holds can share the buffer.
        /// </summary>
        private async ValueTask<Memory<byte>> ReceiveFrameAsync(Socket socket, int maxFrameLength, CancellationToken cancellationToken)
        {
            if (!await ReceiveExactlyAsync(socket, _receive.AsMemory(0, FrameCodec.HeaderLength), cancellationToken).ConfigureAwait(false))
            {
                return Memory<byte>.Empty;
            }

            uint length = BinaryPrimitives.ReadUInt32LittleEndian(_receive);
            if (length == 0 || length > (uint)maxFrameLength || length > 16 * 1024 * 1024)
            {
                throw new ActorAuthClientException(ClientFailure.ProtocolViolation, $"The server sent a frame header declaring {length} bytes.");
            }

            if (_receive.Length < length)
            {
                _receive = new byte[Math.Max((int)length, _receive.Length * 2)];
            }

            Memory<byte> body = _receive.AsMemory(0, (int)length);
            return await ReceiveExactlyAsync(socket, body, cancellationToken).ConfigureAwait(false)
                ? body
                : throw new ActorAuthClientException(ClientFailure.ConnectionLost, "The server closed the connection in the middle of a frame.");
        }

        private static async ValueTask<bool> ReceiveExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
        {
            int read = 0;
            while (read < buffer.Length)
            {
                int n = await socket.ReceiveAsync(buffer[read..], SocketFlags.None, cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    return read == 0 ? false : throw new ActorAuthClientException(ClientFailure.ConnectionLost, "The server closed the connection in the middle of a frame.");
                }

                read += n;
            }

            return true;
        }

        private static void ThrowIfFailed(SecurityStatus status, bool serverAnswered, ReadOnlySpan<byte> serverToken)
        {
            if (!status.IsError)
            {
                return;
            }

            ClientFailure failure = !serverAnswered
                ? status.Code == SecurityStatusCode.TargetUnknown ? ClientFailure.TargetUnknown : ClientFailure.CredentialsRejected
                : KerberosErrorToken.IsKrbError(serverToken) ? ClientFailure.ServerRefused : ClientFailure.ServerNotProven;
            throw new ActorAuthClientException(failure, $"Authentication failed: {status}.");
        }

        public void Dispose()
        {
        }
    }

    /// <summary>
    /// Binds the socket to a source address. IP_BIND_ADDRESS_NO_PORT defers the port choice to connect(), so
    /// the kernel may reuse a port toward different destinations; without it each bind takes a port outright.
    /// </summary>
    private static void BindSource(Socket socket, IPAddress source)
    {
        if (OperatingSystem.IsLinux())
        {
            const int SolIp = 0, IpBindAddressNoPort = 24;
            socket.SetRawSocketOption(SolIp, IpBindAddressNoPort, BitConverter.GetBytes(1));
        }

        socket.Bind(new IPEndPoint(source, 0));
    }

    private sealed class Session(Worker worker, Socket socket) : ILoadSession
    {
        public Socket Socket { get; } = socket;

        public ClientSecurityContext? Context { get; set; }

        public long ConnectedAt { get; } = System.Diagnostics.Stopwatch.GetTimestamp();

        public ValueTask RoundTripAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken) =>
            worker.RoundTripAsync(this, message, cancellationToken);

        public ValueTask DisposeAsync()
        {
            Context?.Dispose();
            Socket.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
