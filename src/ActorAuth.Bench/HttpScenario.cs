using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ActorAuth.Client;
using ActorAuth.Client.Http;

namespace ActorAuth.Bench;

/// <summary>
/// Authenticated HTTP GETs (RFC 4559) through <see cref="NegotiateHttpHandler"/>: each "handshake" is one GET with
/// a NEW Negotiate context, mutually authenticated, from the users' shared credentials (acquired once). By default
/// the request goes out bare and the token follows the server's 401, as curl does; <see cref="Preemptive"/> sends
/// the token at once. Connections are kept alive and pooled (at most one per worker loop), so a run measures
/// authentication, not TCP set-up. Only loopback is dialled: the URL's host must resolve to a loopback address.
/// The runner's handshake latency is the request until the verified response headers; its first round trip,
/// reading the body.
/// </summary>
public sealed class HttpScenario : ILoadScenario, IDisposable
{
    private readonly Uri _url;
    private readonly HttpMessageInvoker[] _clients;
    private readonly SocketsHttpHandler _transport;

    /// <summary>GETs <paramref name="url"/> as each of <paramref name="users"/> in turn, with up to <paramref name="connections"/> kept-alive connections.</summary>
    /// <exception cref="ArgumentException">Not an absolute http:// URL, or no users.</exception>
    public HttpScenario(Uri url, IReadOnlyList<BenchUser> users, int connections, bool preemptive = false, string? spn = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(users);
        if (!url.IsAbsoluteUri || url.Scheme != Uri.UriSchemeHttp)
        {
            throw new ArgumentException($"'{url}' is not an absolute http:// URL.", nameof(url));
        }

        if (users.Count == 0)
        {
            throw new ArgumentException("At least one user is needed.", nameof(users));
        }

        _url = url;
        Preemptive = preemptive;

        // One invoker per user over one connection pool: the pool's size is the run's concurrency. An invoker, not an
        // HttpClient: the runner times each request out already, and HttpClient's own timeout costs a linked
        // CancellationTokenSource per request; what goes on the wire is the same.
        _transport = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            MaxConnectionsPerServer = connections,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectCallback = ConnectLoopbackAsync,
        };
        _clients = users.Select(user => new HttpMessageInvoker(
            new NegotiateHttpHandler(new NegotiateHttpOptions { SharedCredential = user.Credential, Preemptive = preemptive, ServicePrincipalName = spn }, _transport),
            disposeHandler: false)).ToArray();
    }

    /// <summary>The token goes with the first request (no 401 round trip).</summary>
    public bool Preemptive { get; }

    /// <inheritdoc />
    /// <remarks><c>http</c>, or <c>http-preemptive</c>.</remarks>
    public string Name => Preemptive ? "http-preemptive" : "http";

    /// <inheritdoc />
    public ILoadWorker CreateWorker(int index) => new Worker(this, index);

    /// <inheritdoc />
    public string Classify(Exception failure) => failure switch
    {
        MutualAuthenticationException => "MutualAuthenticationFailed",
        HttpRequestException { StatusCode: { } status } => $"Http{(int)status}",
        HttpRequestException or IOException or SocketException => nameof(ClientFailure.ConnectionLost),
        OperationCanceledException => nameof(ClientFailure.Timeout),
        _ => failure.GetType().Name,
    };

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (HttpMessageInvoker client in _clients)
        {
            client.Dispose();
        }

        _transport.Dispose();
    }

    /// <summary>Dials only loopback addresses of the URL's host, IPv4 first, with TCP_NODELAY.</summary>
    private static async ValueTask<Stream> ConnectLoopbackAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        IPAddress[] addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken).ConfigureAwait(false);
        IPAddress address = addresses.Where(IPAddress.IsLoopback).OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).FirstOrDefault()
            ?? throw new HttpRequestException($"{context.DnsEndPoint.Host} is not a loopback address: the bench dials loopback only.");
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private sealed class Worker(HttpScenario scenario, int index) : ILoadWorker
    {
        private readonly byte[] _body = new byte[16 * 1024];
        private int _requests = index;

        public async ValueTask<ILoadSession> OpenAsync(CancellationToken cancellationToken)
        {
            long started = Stopwatch.GetTimestamp();
            HttpMessageInvoker client = scenario._clients[_requests++ % scenario._clients.Length];
            using var request = new HttpRequestMessage(HttpMethod.Get, scenario._url);
            HttpResponseMessage response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode || response.GetNegotiateAuthentication() is null)
            {
                HttpStatusCode status = response.StatusCode;
                string why = response.GetNegotiateFailure() ?? (response.IsSuccessStatusCode ? "not authenticated" : response.ReasonPhrase ?? "");
                response.Dispose();
                throw new HttpRequestException($"{(int)status}: {why}", null, status);
            }

            return new Response(this, response, started);
        }

        public async ValueTask ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
        {
            Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                while (await body.ReadAsync(_body, cancellationToken).ConfigureAwait(false) > 0)
                {
                }
            }
        }

        public void Dispose()
        {
        }
    }

    /// <summary>One authenticated response whose body is still to be read; its connection returns to the pool on dispose.</summary>
    private sealed class Response(Worker worker, HttpResponseMessage response, long started) : ILoadSession
    {
        public long ConnectedAt { get; } = started;

        public ValueTask RoundTripAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken) => worker.ReadBodyAsync(response, cancellationToken);

        public ValueTask DisposeAsync()
        {
            response.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
