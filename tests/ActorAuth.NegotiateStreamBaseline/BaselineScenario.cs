using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Principal;
using ActorAuth.Bench;

namespace ActorAuth.NegotiateStreamBaseline;

/// <summary>
/// The baseline's client, as a .NET user writes it: TcpClient + NegotiateStream.AuthenticateAsClientAsync
/// (the ticket cache, mutual authentication checked, EncryptAndSign), then the echo. Driven by the same
/// <see cref="LoadRunner"/> as <c>actorauth bench</c>, so the reports compare like for like.
/// </summary>
internal sealed class BaselineScenario(IPEndPoint server, string spn, IReadOnlyList<IPAddress> sources) : ILoadScenario
{
    private readonly IPEndPoint _server = server;
    private readonly string _spn = spn;
    private readonly IReadOnlyList<IPAddress> _sources = sources;
    private int _nextSource;

    public string Name => "negotiatestream";

    public ILoadWorker CreateWorker(int index) => new Worker(this);

    public string Classify(Exception failure) => failure switch
    {
        AuthenticationException => "AuthenticationFailed",
        InvalidDataException => "ProtocolViolation",
        OperationCanceledException => "Timeout",
        SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.TimedOut } => "ConnectFailed",
        SocketException or IOException or ObjectDisposedException => "ConnectionLost",
        _ => failure.GetType().Name,
    };

    private sealed class Worker(BaselineScenario scenario) : ILoadWorker
    {
        private readonly byte[] _reply = new byte[64 * 1024];

        public async ValueTask<ILoadSession> OpenAsync(CancellationToken cancellationToken)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                if (scenario._sources.Count > 0)
                {
                    socket.Bind(new IPEndPoint(scenario._sources[(int)((uint)Interlocked.Increment(ref scenario._nextSource) % (uint)scenario._sources.Count)], 0));
                }

                await socket.ConnectAsync(scenario._server, cancellationToken).ConfigureAwait(false);
                long connected = Stopwatch.GetTimestamp();
                var stream = new NegotiateStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
                var session = new Session(this, stream, connected);
                try
                {
                    await stream.AuthenticateAsClientAsync(CredentialCache.DefaultNetworkCredentials, scenario._spn, ProtectionLevel.EncryptAndSign, TokenImpersonationLevel.Identification)
                        .WaitAsync(cancellationToken).ConfigureAwait(false);
                    if (!stream.IsMutuallyAuthenticated)
                    {
                        throw new AuthenticationException("The server did not prove its identity (no mutual authentication).");
                    }
                }
                catch
                {
                    await stream.DisposeAsync().ConfigureAwait(false);
                    throw;
                }

                return session;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        public async ValueTask RoundTripAsync(NegotiateStream stream, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
        {
            await stream.WriteAsync(message, cancellationToken).ConfigureAwait(false);
            int read = 0;
            while (read < message.Length)
            {
                int n = await stream.ReadAsync(_reply.AsMemory(read, message.Length - read), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    throw new IOException("The server closed the connection before echoing.");
                }

                read += n;
            }

            if (!_reply.AsSpan(0, read).SequenceEqual(message.Span))
            {
                throw new InvalidDataException("The echo differs from the request.");
            }
        }

        public void Dispose()
        {
        }
    }

    private sealed class Session(Worker worker, NegotiateStream stream, long connectedAt) : ILoadSession
    {
        public long ConnectedAt => connectedAt;

        public ValueTask RoundTripAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken) =>
            worker.RoundTripAsync(stream, message, cancellationToken);

        public ValueTask DisposeAsync() => stream.DisposeAsync();
    }
}
