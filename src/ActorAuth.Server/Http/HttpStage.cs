using System.Diagnostics.Metrics;
using System.Net;
using ActorAuth.Security;
using ActorAuth.Server.Metrics;
using ActorAuth.Server.Sessions;
using ActorAuth.Server.Tcp;
using Akka.Actor;
using Akka.Streams;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorAuth.Server.Http;

/// <summary>
/// An <c>http</c> listener: Kestrel's HTTP/1.1 server (from the shared framework, without the generic host) on
/// Kestrel's socket transport, its limits from the listener's <c>http</c> keys. Connections pass the same admission
/// checks as on TCP (max-connections, the address's rate), after a trusted proxy's PROXY header (<see cref="ProxyProtocol"/>); each request goes to <see cref="HttpEndpoints"/>. Bound at
/// start-up before the directory step: until <see cref="StartAccepting"/> only <c>/healthz</c>, <c>/readyz</c> and
/// <c>/metrics</c> answer, the rest 503. HTTP/1.1 only: Negotiate authenticates a connection's request, which
/// HTTP/2's multiplexing cannot bind (browsers fall back to HTTP/1.1 for it too).
/// </summary>
internal sealed class HttpStage : IListenerStage, IHttpApplication<HttpContext>
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly ListenerOptions _listener;
    private readonly ConnectionIds _ids;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _log;
    private readonly AdmissionControl _admission;
    private readonly ProxyProtocol? _proxyProtocol;
    private readonly HttpEndpoints _endpoints;
    private readonly MeterListener _kestrelRefusals = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddLogging().BuildServiceProvider();
    private KestrelServer? _server;
    private HttpNegotiator? _negotiator;

    private HttpStage(ListenerOptions listener, ServerMetrics metrics, ConnectionIds ids, ILoggerFactory loggers, HttpEndpoints endpoints)
    {
        _listener = listener;
        _ids = ids;
        _loggers = loggers;
        _log = loggers.CreateLogger<HttpStage>();
        Metrics = metrics;
        _endpoints = endpoints;
        _admission = new AdmissionControl(listener.Options, metrics, _log);
        _proxyProtocol = ProxyProtocol.For(listener.Options, _admission, _log);
    }

    /// <inheritdoc />
    public string Listener => _listener.Name;

    /// <inheritdoc />
    public ServerMetrics Metrics { get; }

    /// <inheritdoc />
    public AddressRateLimiter? RateLimiter => _admission.RateLimiter;

    /// <inheritdoc />
    public IPEndPoint EndPoint { get; private set; } = new(IPAddress.None, 0);

    /// <summary>Binds the listener; an address in use is an <see cref="IOException"/> naming it.</summary>
    public static async Task<HttpStage> BindAsync(
        ListenerOptions listener, ServerMetrics metrics, ConnectionIds ids, ILoggerFactory loggers, HttpEndpoints endpoints, CancellationToken cancellationToken)
    {
        var stage = new HttpStage(listener, metrics, ids, loggers, endpoints);
        HttpSettings http = listener.Http!;
        ServerOptions options = listener.Options;
        var kestrel = new KestrelServerOptions
        {
            AddServerHeader = false,
            ApplicationServices = stage._services,
        };
        kestrel.Limits.MaxConcurrentConnections = options.MaxConnections;
        kestrel.Limits.MaxRequestHeadersTotalSize = (int)Math.Min(http.MaxRequestHeaderBytes, int.MaxValue);
        kestrel.Limits.MaxRequestLineSize = http.MaxRequestLineBytes;
        kestrel.Limits.MaxRequestBodySize = http.MaxRequestBodyBytes;
        kestrel.Limits.RequestHeadersTimeout = http.RequestHeadersTimeout;
        kestrel.Limits.KeepAliveTimeout = http.KeepAliveTimeout;
        var endPoint = new IPEndPoint(options.Host, options.Port);
        kestrel.Listen(endPoint, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            listen.Use(stage.Admission);
        });
        var transport = new SocketTransportFactory(Options.Create(new SocketTransportOptions { NoDelay = true, Backlog = options.Backlog }), loggers);
        stage._server = new KestrelServer(Options.Create(kestrel), transport, loggers);
        try
        {
            await stage._server.StartAsync(stage, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e) when (e.InnerException is AddressInUseException)
        {
            stage._server.Dispose();
            throw new IOException($"{endPoint} is already in use", e);
        }

        string bound = stage._server.Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        stage.EndPoint = new IPEndPoint(options.Host, new Uri(bound).Port);
        stage.CountKestrelRefusals();
        return stage;
    }

    /// <summary>Opens the authenticated endpoints: from now on Negotiate tokens start handshakes under <paramref name="supervisor"/>.</summary>
    public void StartAccepting(IActorRef supervisor, SessionSettings settings, ServerCredential credential, IMaterializer materializer)
    {
        _negotiator = new HttpNegotiator(settings, credential, supervisor, _ids, _loggers);
        _endpoints.Open(_listener.Name, settings.Policy);
    }

    private ConnectionDelegate Admission(ConnectionDelegate next) => async connection =>
    {
        // The PROXY header first: Kestrel takes the connection's remote address (HttpContext.Connection) after this.
        if (_proxyProtocol is not null && !await _proxyProtocol.AcceptAsync(connection).ConfigureAwait(false))
        {
            return;
        }

        if (!_admission.TryAdmit(connection))
        {
            return;
        }

        Metrics.ConnectionOpened();
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            Metrics.ConnectionClosed("http", TeardownReason.Closed);
        }
    };

    /// <summary>
    /// Kestrel answers some bad requests itself (431 headers too large, 408 a slow-header client, 400 malformed HTTP)
    /// and ends the connection with a reason on its own meter; those of this listener's port are counted as refusals.
    /// </summary>
    private void CountKestrelRefusals()
    {
        int port = EndPoint.Port;
        _kestrelRefusals.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Microsoft.AspNetCore.Server.Kestrel" && instrument.Name == "kestrel.connection.duration")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _kestrelRefusals.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            string? error = null;
            bool ours = false;
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == "error.type")
                {
                    error = tag.Value as string;
                }
                else if (tag.Key == "server.port")
                {
                    ours = tag.Value is int p && p == port;
                }
            }

            if (ours && error is not null)
            {
                Metrics.HttpRefused(error.Replace('_', '-'));
            }
        });
        _kestrelRefusals.Start();
    }

    HttpContext IHttpApplication<HttpContext>.CreateContext(IFeatureCollection contextFeatures) => new DefaultHttpContext(contextFeatures);

    Task IHttpApplication<HttpContext>.ProcessRequestAsync(HttpContext context) => _endpoints.ServeAsync(context, _negotiator, Metrics);

    void IHttpApplication<HttpContext>.DisposeContext(HttpContext context, Exception? exception)
    {
    }

    /// <inheritdoc />
    public async Task StopAcceptingAsync()
    {
        if (_server is not null)
        {
            // Requests in flight get the stop timeout to finish; then Kestrel aborts their connections.
            using var timeout = new CancellationTokenSource(StopTimeout);
            await _server.StopAsync(timeout.Token).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public Task<int> CloseRemainingAsync(TimeSpan timeout)
    {
        _negotiator?.AbandonAll();
        return Task.FromResult(0);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _kestrelRefusals.Dispose();
        _services.Dispose();
        _server?.Dispose();
        return ValueTask.CompletedTask;
    }
}
