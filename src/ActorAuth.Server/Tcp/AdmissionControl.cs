using System.Diagnostics;
using System.Net;
using ActorAuth.Server.Metrics;
using Akka;
using Akka.Streams.Dsl;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace ActorAuth.Server.Tcp;

/// <summary>
/// Decides at accept whether a new connection may start a handshake: refused at once (and counted by reason)
/// past the open-connection limit, past the limit of handshakes in progress, or past the remote address's
/// connection rate — never queued, so a flood cannot starve authenticated sessions or grow memory without
/// bound. Each check is a stage of the listener's accept stream (<see cref="TcpStage"/>). Refusals are logged
/// at most once a second, with the counts since the last line, so a flood cannot become a logging flood either.
/// </summary>
internal sealed class AdmissionControl
{
    private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(1);

    private readonly ServerOptions _options;
    private readonly ServerMetrics _metrics;
    private readonly ILogger _log;
    private readonly Lock _logLock = new();
    private long _lastLog;
    private int _refusedSinceLog;

    public AdmissionControl(ServerOptions options, ServerMetrics metrics, ILogger log)
    {
        _options = options;
        _metrics = metrics;
        _log = log;
        if (options.PerAddressConnectionRate > 0)
        {
            RateLimiter = new AddressRateLimiter(options.PerAddressConnectionRate, options.PerAddressConnectionBurst);
        }
    }

    /// <summary>The per-address token buckets; null when <c>per-address-rate</c> is 0. In a cluster the other nodes' admissions are charged to it.</summary>
    public AddressRateLimiter? RateLimiter { get; }

    /// <summary>
    /// The admission checks as stream stages, in the order they apply: open connections, handshakes in progress,
    /// the remote address's token bucket (when configured). A refused connection is counted, logged (rate-limited)
    /// and closed at once; the others pass on unchanged.
    /// </summary>
    public Flow<ConnectionContext, ConnectionContext, NotUsed> Stages()
    {
        Flow<ConnectionContext, ConnectionContext, NotUsed> stages = Flow.Create<ConnectionContext>()
            .Via(Stage("max-connections", _ => _metrics.LiveConnections < _options.MaxConnections))
            .Via(Stage("max-handshakes", _ => _metrics.LiveHandshakes < _options.MaxConcurrentHandshakes));
        return RateLimiter is null
            ? stages
            : stages.Via(Stage("rate-limit", c => c.RemoteEndPoint is not IPEndPoint ip || TryAcquire(ip.Address)));
    }

    /// <summary>
    /// The checks an HTTP listener applies at accept, in Kestrel's connection pipeline: open connections and the
    /// address's rate. Handshakes in progress are checked per context there, since a connection opens many.
    /// False: counted and logged; the caller closes it.
    /// </summary>
    public bool TryAdmit(ConnectionContext connection) =>
        (_metrics.LiveConnections < _options.MaxConnections || Refused(connection, "max-connections"))
        && (RateLimiter is null || connection.RemoteEndPoint is not IPEndPoint ip || TryAcquire(ip.Address) || Refused(connection, "rate-limit"));

    private Flow<ConnectionContext, ConnectionContext, NotUsed> Stage(string reason, Func<ConnectionContext, bool> admits) =>
        Flow.Create<ConnectionContext>().Where(connection => admits(connection) || Refuse(connection, reason)).Named("admission-" + reason);

    /// <summary>Counts, logs and closes a refused connection; returns false so the stage drops it.</summary>
    public bool Refuse(ConnectionContext connection, string reason)
    {
        Refused(connection, reason);
        _ = connection.DisposeAsync().AsTask();
        return false;
    }

    /// <summary>Counts and logs (rate-limited) a connection refused for <paramref name="reason"/>; the caller closes it. Returns false.</summary>
    public bool Refused(ConnectionContext connection, string reason)
    {
        _metrics.AdmissionRefused(reason);
        LogRefusal(connection.RemoteEndPoint, reason);
        return false;
    }

    private bool TryAcquire(IPAddress address) => RateLimiter!.TryAcquire(address);

    private void LogRefusal(EndPoint? remote, string reason)
    {
        int suppressed;
        lock (_logLock)
        {
            _refusedSinceLog++;
            if (Stopwatch.GetElapsedTime(_lastLog) < LogInterval && _lastLog != 0)
            {
                return;
            }

            suppressed = _refusedSinceLog - 1;
            _refusedSinceLog = 0;
            _lastLog = Stopwatch.GetTimestamp();
        }

        _log.LogWarning(
            "connection from {Remote} refused at accept: {Reason} (connections {Connections}/{MaxConnections}, handshakes {Handshakes}/{MaxHandshakes}); {Suppressed} more refused since the last such line",
            remote, reason, _metrics.LiveConnections, _options.MaxConnections, _metrics.LiveHandshakes, _options.MaxConcurrentHandshakes, suppressed);
    }

}
