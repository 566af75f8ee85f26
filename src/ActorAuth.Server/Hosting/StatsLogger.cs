using ActorAuth.Hocon;
using ActorAuth.Server.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorAuth.Server.Hosting;

/// <summary>
/// With <c>actorauth.server.stats-interval</c> set (or <c>actorauth server --stats-interval 10s</c>), logs one
/// line per interval: the live gauges and what happened since the previous line. Off by default.
/// </summary>
public sealed class StatsLogger(IConfiguration configuration, ServerMetrics metrics, ILogger<StatsLogger> log) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        TimeSpan interval = configuration.GetDuration("actorauth:server:stats-interval", TimeSpan.Zero);
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval);
        (long succeeded, long failed, long refused) = (metrics.HandshakesSucceeded, metrics.HandshakesFailed, metrics.AdmissionsRefused);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                (long s, long f, long r) = (metrics.HandshakesSucceeded, metrics.HandshakesFailed, metrics.AdmissionsRefused);
                log.LogInformation(
                    "stats: connections {Connections}, handshakes in progress {Handshakes}, sessions {Sessions}, contexts {Contexts}; last {Interval}: {Succeeded} handshakes succeeded ({Rate:0.0}/s), {Failed} failed, {Refused} refused at accept",
                    metrics.LiveConnections, metrics.LiveHandshakes, metrics.LiveSessions, metrics.LiveContexts, interval,
                    s - succeeded, (s - succeeded) / interval.TotalSeconds, f - failed, r - refused);
                (succeeded, failed, refused) = (s, f, r);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
