using System.Collections.Concurrent;
using System.Net;
using ActorAuth.Actors;
using ActorAuth.Server.Actors;
using ActorAuth.Server.Metrics;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorAuth.Server.Tcp;

/// <summary>
/// Accepts TCP connections with Kestrel's socket transport (pooled pipes, TCP_NODELAY) — without the HTTP
/// server, so it runs in any host — and hands each to the <see cref="ConnectionSupervisor"/>. One task per
/// connection, whose lifetime is the connection's, as Kestrel's ConnectionHandler contract has it.
/// </summary>
internal sealed class TcpStage : IAsyncDisposable
{
    private readonly IConnectionListener _listener;
    private IActorRef _supervisor = ActorRefs.Nobody;
    private readonly ServerMetrics _metrics;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _log;
    private readonly AdmissionControl _admission;
    private readonly ConcurrentDictionary<long, (ClientConnection Connection, Task Lifetime)> _connections = new();
    private Task _acceptLoop = Task.CompletedTask;
    private long _nextId;

    private TcpStage(IConnectionListener listener, ServerOptions options, ServerMetrics metrics, ILoggerFactory loggers)
    {
        _listener = listener;
        _metrics = metrics;
        _loggers = loggers;
        _log = loggers.CreateLogger<TcpStage>();
        _admission = new AdmissionControl(options, metrics, _log);
    }

    /// <summary>The address and port actually bound (the port is chosen by the OS when configured as 0).</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_listener.EndPoint;

    /// <summary>
    /// Binds the listener (a failed bind fails start-up). Connections queue in the kernel's backlog until
    /// <see cref="StartAccepting"/>, so the directory can publish the bound port before the first is served.
    /// </summary>
    public static async Task<TcpStage> BindAsync(ServerOptions options, ServerMetrics metrics, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var transport = new SocketTransportFactory(
            Options.Create(new SocketTransportOptions { NoDelay = true, Backlog = options.Backlog }),
            loggers);
        IConnectionListener listener = await transport.BindAsync(new IPEndPoint(options.Host, options.Port), cancellationToken).ConfigureAwait(false);
        return new TcpStage(listener, options, metrics, loggers);
    }

    /// <summary>Starts handing accepted connections to <paramref name="supervisor"/>.</summary>
    public void StartAccepting(IActorRef supervisor)
    {
        _supervisor = supervisor;
        _acceptLoop = AcceptLoopAsync();
    }

    private async Task AcceptLoopAsync()
    {
        ILogger connectionLog = _loggers.CreateLogger<ClientConnection>();
        while (true)
        {
            ConnectionContext? transport;
            try
            {
                transport = await _listener.AcceptAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is ObjectDisposedException or OperationCanceledException)
            {
                return;
            }

            if (transport is null)
            {
                return; // unbound
            }

            if (_admission.Check(transport.RemoteEndPoint) is not null)
            {
                await transport.DisposeAsync().ConfigureAwait(false);
                continue;
            }

            long id = Interlocked.Increment(ref _nextId);
            var connection = new ClientConnection(id, transport, _metrics, connectionLog);
            _connections[id] = (connection, RunConnectionAsync(connection, transport));
        }
    }

    private async Task RunConnectionAsync(ClientConnection connection, ConnectionContext transport)
    {
        _metrics.ConnectionOpened();
        _log.LogDebug("conn {ConnectionId} {Remote} accepted", connection.Id, connection.RemoteEndPoint);
        _supervisor.Tell(new ConnectionAccepted(connection));
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

    /// <summary>Stops accepting new connections; those already open are left to their actors.</summary>
    public async Task StopAcceptingAsync()
    {
        await _listener.UnbindAsync().ConfigureAwait(false);
        await _acceptLoop.ConfigureAwait(false);
    }

    /// <summary>
    /// After the actor system has terminated (every actor's PostStop has closed what it owned), closes what no
    /// actor owns — a connection accepted as the supervisor stopped, or one whose handoff to a session was
    /// lost — then waits (bounded) until every socket is disposed. Returns how many were still open at the end.
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
        _admission.Dispose();
    }
}
