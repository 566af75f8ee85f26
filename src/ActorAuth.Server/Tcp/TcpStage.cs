using System.Collections.Concurrent;
using System.Net;
using ActorAuth.Security;
using ActorAuth.Server.Actors;
using ActorAuth.Server.Metrics;
using ActorAuth.Server.Sessions;
using Akka;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Util;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Directive = Akka.Streams.Supervision.Directive;

namespace ActorAuth.Server.Tcp;

/// <summary>
/// Numbers connections across all of a server's listeners: the number is in every log line about a connection and in
/// its actors' names, which must be unique under the one supervisor.
/// </summary>
internal sealed class ConnectionIds
{
    private long _last;

    public long Next() => Interlocked.Increment(ref _last);
}

/// <summary>
/// The listener's TCP stage: an Akka.Streams graph materialized once per listener —
/// <code>
/// accepted connections ──▶ [PROXY header] ──▶ max-connections ──▶ max-handshakes ──▶ rate-limit ──▶ handshake actor per connection
/// (Kestrel's socket       (trusted proxies   (admission stages: a refused connection is           (sink: tells the
///  transport, pulled       only: the client   counted and closed)                                  ConnectionSupervisor)
///  one accept at a time)   address replaces the proxy's; ProxyProtocol)
/// </code>
/// The bytes stay on Kestrel's socket transport (pooled pipes, TCP_NODELAY), without the HTTP server: Akka's own
/// TCP cost 3–6 times the server CPU per connection here (docs/PERFORMANCE.md). The graph accepts only when the
/// sink asks, so a slow supervisor pushes back into the kernel's listen backlog rather than into memory. Each
/// connection has one task whose lifetime is the connection's, as Kestrel's ConnectionHandler contract has it.
/// </summary>
internal sealed class TcpStage : IListenerStage
{
    private readonly IConnectionListener _listener;
    private readonly ServerMetrics _metrics;
    private readonly ILogger _log;
    private readonly ILogger _connectionLog;
    private readonly AdmissionControl _admission;
    private readonly ProxyProtocol? _proxyProtocol;
    private readonly ConcurrentDictionary<long, (ClientConnection Connection, Task Lifetime)> _connections = new();
    private IActorRef _supervisor = ActorRefs.Nobody;
    private SessionSettings? _settings;
    private ServerCredential? _credential;
    private Task _accepting = Task.CompletedTask;
    private readonly ConnectionIds _ids;
    private readonly TimeSpan _sendTimeout;

    private TcpStage(string name, IConnectionListener listener, ServerOptions options, ServerMetrics metrics, ConnectionIds ids, ILoggerFactory loggers)
    {
        _ids = ids;
        _sendTimeout = options.SendTimeout;
        Listener = name;
        _listener = listener;
        _metrics = metrics;
        _log = loggers.CreateLogger<TcpStage>();
        _connectionLog = loggers.CreateLogger<ClientConnection>();
        _admission = new AdmissionControl(options, metrics, _log);
        _proxyProtocol = ProxyProtocol.For(options, _admission, _log);
    }

    /// <summary>The name of the listener this stage accepts for.</summary>
    public string Listener { get; }

    /// <inheritdoc />
    public AddressRateLimiter? RateLimiter => _admission.RateLimiter;

    /// <summary>The listener's view of the metrics.</summary>
    public ServerMetrics Metrics => _metrics;

    /// <summary>The address and port actually bound (the port is chosen by the OS when configured as 0).</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_listener.EndPoint;

    /// <summary>
    /// Binds the listener (a failed bind fails start-up: an address in use is an <see cref="IOException"/> naming it). Connections queue in the kernel's backlog until
    /// <see cref="StartAccepting"/>, so the directory can publish the bound port before the first is served.
    /// </summary>
    public static async Task<TcpStage> BindAsync(string name, ServerOptions options, ServerMetrics metrics, ConnectionIds ids, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var transport = new SocketTransportFactory(
            Options.Create(new SocketTransportOptions { NoDelay = true, Backlog = options.Backlog }),
            loggers);
        var endPoint = new IPEndPoint(options.Host, options.Port);
        try
        {
            IConnectionListener listener = await transport.BindAsync(endPoint, cancellationToken).ConfigureAwait(false);
            return new TcpStage(name, listener, options, metrics, ids, loggers);
        }
        catch (AddressInUseException e)
        {
            throw new IOException($"{endPoint} is already in use", e);
        }
    }

    /// <summary>Materializes the accept graph: from now on accepted connections go to <paramref name="supervisor"/>, each with <paramref name="settings"/> and <paramref name="credential"/>.</summary>
    public void StartAccepting(IActorRef supervisor, SessionSettings settings, ServerCredential credential, IMaterializer materializer)
    {
        _supervisor = supervisor;
        _settings = settings;
        _credential = credential;
        Source<ConnectionContext, NotUsed> accepted = Source.UnfoldAsync<IConnectionListener, ConnectionContext>(_listener, AcceptAsync);
        _accepting = (_proxyProtocol is null ? accepted : accepted.Via(_proxyProtocol.Stage()))
            .Via(_admission.Stages())
            .ToMaterialized(Sink.ForEach<ConnectionContext>(Admit), Keep.Right)
            // One connection's failure must not end the listener: log it, drop that connection, keep accepting.
            .WithAttributes(ActorAttributes.CreateSupervisionStrategy(ResumeAfterLogging))
            .Named("actorauth-accept-" + Listener)
            .Run(materializer);
    }

    private static async Task<Option<(IConnectionListener, ConnectionContext)>> AcceptAsync(IConnectionListener listener)
    {
        try
        {
            // Null once unbound: the source completes and the graph with it.
            return await listener.AcceptAsync().ConfigureAwait(false) is { } connection
                ? Option<(IConnectionListener, ConnectionContext)>.Create((listener, connection))
                : Option<(IConnectionListener, ConnectionContext)>.None;
        }
        catch (Exception e) when (e is ObjectDisposedException or OperationCanceledException)
        {
            return Option<(IConnectionListener, ConnectionContext)>.None;
        }
    }

    private Directive ResumeAfterLogging(Exception e)
    {
        _log.LogError(e, "The accept stream failed for one connection; it goes on accepting");
        return Directive.Resume;
    }

    private void Admit(ConnectionContext transport)
    {
        long id = _ids.Next();
        var connection = new ClientConnection(id, transport, _metrics, _connectionLog, _sendTimeout);
        _connections[id] = (connection, RunConnectionAsync(connection, transport));
    }

    private async Task RunConnectionAsync(ClientConnection connection, ConnectionContext transport)
    {
        _metrics.ConnectionOpened();
        _metrics.HandshakeStarted();
        _log.LogDebug("conn {ConnectionId} {Remote} accepted", connection.Id, connection.RemoteEndPoint);
        _supervisor.Tell(new ConnectionAccepted(connection, _settings!, _credential!), ActorRefs.NoSender);
        try
        {
            await connection.Closed.ConfigureAwait(false);
        }
        finally
        {
            await transport.DisposeAsync().ConfigureAwait(false);
            _connections.TryRemove(connection.Id, out _);
        }
    }

    /// <summary>Stops accepting new connections (the graph completes); those already open are left to their actors.</summary>
    public async Task StopAcceptingAsync()
    {
        await _listener.UnbindAsync().ConfigureAwait(false);
        try
        {
            await _accepting.ConfigureAwait(false);
        }
        catch (Exception e) when (e is AbruptTerminationException or OperationCanceledException)
        {
            // The actor system stopped under the graph: nothing more is accepted either way.
        }
    }

    /// <summary>
    /// After the connections' actors have stopped (every PostStop has closed what it owned), closes what no actor
    /// owns — a connection accepted as the supervisor stopped, or one whose handoff to a session was lost — then
    /// waits (bounded) until every socket is disposed. Returns how many were still open at the end.
    /// </summary>
    public async Task<int> CloseRemainingAsync(TimeSpan timeout)
    {
        foreach ((ClientConnection connection, _) in _connections.Values)
        {
            connection.Abandon("the server shut down before an actor took the connection");
        }

        Task all = Task.WhenAll(_connections.Values.Select(c => c.Lifetime));
        await Task.WhenAny(all, Task.Delay(timeout)).ConfigureAwait(false);
        return _connections.Count;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _listener.DisposeAsync().ConfigureAwait(false);
    }
}
