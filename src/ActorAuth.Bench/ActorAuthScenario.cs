using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using ActorAuth.Client;
using ActorAuth.Protocol;
using ActorAuth.Security;

namespace ActorAuth.Bench;

/// <summary>
/// ActorAuth's protocol (docs/PROTOCOL.md) in any of its dialects, or a stock server's, spoken over the bench's
/// own sockets through the client library's <see cref="ClientDialect"/> — the same handshake, greeting and
/// protected echo as <see cref="ActorAuthClient"/>, plus what the client library has no option for: binding to
/// a chosen source address (so one machine can open more than the ~28k ephemeral ports of one address), and
/// buffers reused across every session a worker opens. Failures are <see cref="ActorAuthClientException"/> with
/// the client's <see cref="ClientFailure"/> codes. Given a discovered service (<see cref="ServiceInstances"/>), each
/// session goes to the next instance and fails over as <see cref="ActorAuthClient.ConnectAsync(ServiceInstances, ActorAuthClientOptions?, CancellationToken)"/> does.
/// </summary>
public sealed class ActorAuthScenario : ILoadScenario
{
    // Larger than any reply the bench asks for; a bound so a hostile header cannot make the worker allocate gigabytes.
    private const int MaxDataFrameLength = 16 * 1024 * 1024;
    private readonly IPEndPoint? _server;
    private readonly string? _spn;
    private readonly ServiceInstances? _instances;
    private readonly Dictionary<DiscoveredService, IPEndPoint> _endpoints = [];
    private readonly ConcurrentDictionary<DiscoveredService, long> _sessionsByInstance = new();
    private readonly IReadOnlyList<IPAddress> _sources;
    private readonly IReadOnlyList<BenchUser> _users;
    private int _nextSource;
    private long _failovers;

    /// <summary>Targets <paramref name="server"/> as <paramref name="spn"/>; each session uses the next of <paramref name="users"/>.</summary>
    public ActorAuthScenario(IPEndPoint server, string spn, IReadOnlyList<IPAddress> sourceAddresses, IReadOnlyList<BenchUser> users)
        : this(sourceAddresses, users)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentException.ThrowIfNullOrWhiteSpace(spn);
        _server = server;
        _spn = spn;
    }

    /// <summary>
    /// Spreads the sessions over the discovered <paramref name="instances"/>, each authenticated to its own SPN; each
    /// instance's host is resolved to an IPv4 address once, here, so no session pays for a name lookup.
    /// </summary>
    /// <exception cref="ArgumentException">An instance's host has no IPv4 address.</exception>
    public ActorAuthScenario(ServiceInstances instances, IReadOnlyList<IPAddress> sourceAddresses, IReadOnlyList<BenchUser> users)
        : this(sourceAddresses, users)
    {
        ArgumentNullException.ThrowIfNull(instances);
        _instances = instances;
        foreach (DiscoveredService instance in instances)
        {
            IPAddress address = (IPAddress.TryParse(instance.Host, out IPAddress? literal) ? [literal] : Dns.GetHostAddresses(instance.Host))
                .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
                ?? throw new ArgumentException($"The instance {instance.Host}:{instance.Port} has no IPv4 address (the bench's sockets are IPv4).", nameof(instances));
            _endpoints[instance] = new IPEndPoint(address, instance.Port);
        }
    }

    private ActorAuthScenario(IReadOnlyList<IPAddress> sourceAddresses, IReadOnlyList<BenchUser> users)
    {
        ArgumentNullException.ThrowIfNull(users);
        if (users.Count == 0)
        {
            throw new ArgumentException("At least one user is needed.", nameof(users));
        }

        _sources = sourceAddresses;
        _users = users;
    }

    /// <summary>With discovered instances: the limit on each TCP connect, after which the next instance is tried (the client's default).</summary>
    public TimeSpan ConnectTimeout { get; init; } = new ActorAuthClientOptions().ConnectTimeout;

    /// <summary>With discovered instances: the sessions each instance opened, in the instances' order; empty otherwise.</summary>
    public IReadOnlyList<(DiscoveredService Instance, long Sessions)> SessionsByInstance =>
        _instances is null ? [] : [.. _instances.Select(i => (i, _sessionsByInstance.GetValueOrDefault(i)))];

    /// <summary>With discovered instances: how many times a session moved on to another instance because one failed.</summary>
    public long Failovers => Interlocked.Read(ref _failovers);

    /// <summary>
    /// Each connection acquires its own credential (MIT reads the default ticket cache at every step), as a client
    /// that does not share a <see cref="ClientCredential"/> does — to measure what sharing one saves.
    /// </summary>
    public bool CredentialPerConnection { get; init; }

    /// <summary>Largest frame accepted from the server during the handshake.</summary>
    public int MaxFrameLength { get; init; } = FrameCodec.DefaultMaxFrameLength;

    /// <summary>The wire dialect of the server's listener, and whether the server is a stock one; ActorAuth's sockauth by default.</summary>
    public ClientDialect Dialect { get; init; } = ClientDialect.For(WireDialect.Sockauth);

    /// <inheritdoc />
    /// <remarks><c>actorauth</c> for sockauth, <c>actorauth-negotiate-stream</c>, <c>actorauth-gss-sample</c>; <c>stock-…</c> for a stock server.</remarks>
    public string Name => Dialect.StockServer ? $"stock-{Dialect.Dialect.Name()}"
        : Dialect.Dialect == WireDialect.Sockauth ? "actorauth"
        : $"actorauth-{Dialect.Dialect.Name()}";

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
        private readonly ArrayBufferWriter<byte> _reply = new(4096);
        private readonly ArrayBufferWriter<byte> _send = new(8 * 1024);
        private byte[] _receive = new byte[16 * 1024];
        private int _sessions = index;

        private ClientDialect Dialect => scenario.Dialect;

        public async ValueTask<ILoadSession> OpenAsync(CancellationToken cancellationToken)
        {
            BenchUser user = scenario._users[_sessions++ % scenario._users.Count];
            if (scenario._instances is null)
            {
                return await OpenOnAsync(scenario._server!, scenario._spn!, user, connectTimeout: null, cancellationToken).ConfigureAwait(false);
            }

            InstanceConnection<Session> opened = await scenario._instances.ConnectAnyAsync(
                (instance, token) => OpenOnAsync(scenario._endpoints[instance], instance.Spn.ToString(), user, scenario.ConnectTimeout, token).AsTask(),
                cancellationToken).ConfigureAwait(false);
            scenario._sessionsByInstance.AddOrUpdate(opened.Instance, 1, (_, n) => n + 1);
            Interlocked.Add(ref scenario._failovers, opened.Failed.Count);
            return opened.Value;
        }

        private async ValueTask<Session> OpenOnAsync(IPEndPoint server, string spn, BenchUser user, TimeSpan? connectTimeout, CancellationToken cancellationToken)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            ClientSecurityContext? context = null;
            try
            {
                if (scenario.NextSource() is { } source)
                {
                    BindSource(socket, source);
                }

                using (CancellationTokenSource? deadline = connectTimeout is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    deadline?.CancelAfter(connectTimeout!.Value);
                    try
                    {
                        await socket.ConnectAsync(server, deadline?.Token ?? cancellationToken).ConfigureAwait(false);
                    }
                    catch (SocketException e)
                    {
                        throw new ActorAuthClientException(ClientFailure.ConnectFailed, $"Cannot connect to {server}: {e.Message}.", e);
                    }
                    catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
                    {
                        throw new ActorAuthClientException(ClientFailure.ConnectFailed, $"Cannot connect to {server}: no answer within {connectTimeout!.Value.TotalSeconds:0.#} s.", e);
                    }
                }

                var session = new Session(this, socket);
                context = scenario.CredentialPerConnection
                    ? new ClientSecurityContext(new ClientContextOptions { Package = user.Credential.Options.Package, TargetName = spn })
                    : user.Credential.CreateContext(spn);
                await Dialect.HandshakeAsync(context, ClientDialect.Begin(context), session, scenario.MaxFrameLength, cancellationToken).ConfigureAwait(false);
                session.Context = context;
                if (Dialect.IsActorAuthSession)
                {
                    await CheckGreetingAsync(session, user, cancellationToken).ConfigureAwait(false);
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

        private async ValueTask CheckGreetingAsync(Session session, BenchUser user, CancellationToken cancellationToken)
        {
            ReadOnlyMemory<byte> greetingBytes = await Dialect.ReceiveProtectedAsync(
                session.Context!, session, MaxDataFrameLength, requireEncrypted: true, _reply, cancellationToken).ConfigureAwait(false);
            ReadOnlySpan<byte> greeting = greetingBytes.Span;
            if (greeting.IndexOf("\"status\":\"ok\""u8) < 0)
            {
                throw new ActorAuthClientException(ClientFailure.ServerRefused, "The server's greeting refused the session.");
            }

            if (greeting.IndexOf(user.GreetingClient) < 0)
            {
                throw new ActorAuthClientException(ClientFailure.ProtocolViolation, $"The server authenticated someone other than {user.Name}.");
            }
        }

        public async ValueTask RoundTripAsync(Session session, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
        {
            _plain.ResetWrittenCount();
            Dialect.WriteRequest(_plain, string.Empty, message.Span);
            await Dialect.SendAsync(session.Context!, session, _plain.WrittenMemory, encrypt: true, _wrapped, cancellationToken).ConfigureAwait(false);
            ReadOnlyMemory<byte> reply = await Dialect.ReceiveReplyAsync(
                session.Context!, session, _plain.WrittenMemory, MaxDataFrameLength, requireEncrypted: true, _reply, cancellationToken).ConfigureAwait(false);
            ReadOnlyMemory<byte> body = Dialect.ReadReply(reply).EnsureOk();

            // A MIC reply has been verified over the message; every other reply must be the echo itself.
            if (!Dialect.RepliesWithMic && !body.Span.SequenceEqual(message.Span))
            {
                throw new ActorAuthClientException(ClientFailure.ProtocolViolation, "The echo differs from the request.");
            }
        }

        public async ValueTask SendFrameAsync(Socket socket, FrameFormat format, byte kind, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
        {
            _send.ResetWrittenCount();
            WireFrames.Write(format, _send, kind, payload.Span);
            ReadOnlyMemory<byte> frame = _send.WrittenMemory;
            int sent = 0;
            while (sent < frame.Length)
            {
                sent += await socket.SendAsync(frame[sent..], SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// Reads exactly one frame into the worker's receive buffer; null if the server closed cleanly before a
        /// header. Reads header then body separately so no bytes of the next frame are consumed: every session
        /// a worker holds can share the buffer.
        /// </summary>
        public async ValueTask<ReceivedFrame?> ReceiveFrameAsync(Socket socket, FrameFormat format, int maxPayloadLength, CancellationToken cancellationToken)
        {
            int headerLength = format == FrameFormat.LengthPrefixed ? FrameCodec.HeaderLength : GssSampleCodec.HeaderLength;
            if (!await ReceiveExactlyAsync(socket, _receive.AsMemory(0, headerLength), cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            // A version-1 gss-sample header (flags 0) is 4 bytes, not 5, so a byte of its body was read: refused, as no server sends one to a client that sends flags.
            var header = new ReadOnlySequence<byte>(_receive, 0, headerLength);
            FrameStatus status = WireFrames.TryRead(format, ref header, Math.Min(maxPayloadLength, MaxDataFrameLength), out byte kind, out _, out uint length);
            if (status is not (FrameStatus.Complete or FrameStatus.Incomplete) || (format == FrameFormat.GssSample && kind == 0))
            {
                throw new ActorAuthClientException(ClientFailure.ProtocolViolation, $"The server sent a {format} header {Convert.ToHexString(_receive, 0, headerLength)} ({status}).");
            }

            if (_receive.Length < length)
            {
                _receive = new byte[Math.Max((int)length, _receive.Length * 2)];
            }

            Memory<byte> body = _receive.AsMemory(0, (int)length);
            return await ReceiveExactlyAsync(socket, body, cancellationToken).ConfigureAwait(false)
                ? new ReceivedFrame(kind, body)
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

        /// <summary>The dialect's goodbye, best effort: the session is closing either way.</summary>
        public async ValueTask GoodbyeAsync(Session session)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await Dialect.GoodbyeAsync(session, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The server may already have closed; nothing is left to say.
            }
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

    /// <summary>One connection; its frames go through the worker's buffers.</summary>
    private sealed class Session(Worker worker, Socket socket) : ILoadSession, IFrameTransport
    {
        public Socket Socket { get; } = socket;

        public ClientSecurityContext? Context { get; set; }

        public long ConnectedAt { get; } = System.Diagnostics.Stopwatch.GetTimestamp();

        public ValueTask RoundTripAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken) =>
            worker.RoundTripAsync(this, message, cancellationToken);

        public ValueTask SendAsync(FrameFormat format, byte kind, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
            worker.SendFrameAsync(Socket, format, kind, payload, cancellationToken);

        public ValueTask<ReceivedFrame?> ReceiveAsync(FrameFormat format, int maxPayloadLength, CancellationToken cancellationToken) =>
            worker.ReceiveFrameAsync(Socket, format, maxPayloadLength, cancellationToken);

        public async ValueTask DisposeAsync()
        {
            if (Context is not null)
            {
                await worker.GoodbyeAsync(this).ConfigureAwait(false);
                Context.Dispose();
            }

            Socket.Dispose();
        }
    }
}
