using ActorAuth.Server.Metrics;
using Prometheus;

namespace ActorAuth.Server.Http;

/// <summary>
/// The server's meter in the Prometheus text exposition format, through prometheus-net's adapter for .NET meters
/// (a maintained exporter, not a hand-written format). Its own registry, listening only to this server's meter
/// instance, so embedded servers and the host's other meters don't mix in.
/// </summary>
public sealed class MetricsExport : IDisposable
{
    private readonly CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();
    private readonly IDisposable _adapter;

    /// <summary>Starts listening to <paramref name="metrics"/>' meter.</summary>
    public MetricsExport(ServerMetrics metrics)
    {
        if (metrics.Node is { } node)
        {
            // Each node exports its own numbers; the label tells a cluster's scrapes apart however they are collected.
            _registry.SetStaticLabels(new Dictionary<string, string> { ["node"] = node });
        }

        _adapter = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = _registry,
            MetricFactory = Prometheus.Metrics.WithCustomRegistry(_registry),
            InstrumentFilterPredicate = instrument => ReferenceEquals(instrument.Meter, metrics.Meter),
        });
    }

    /// <summary>The media type of what <see cref="WriteAsync"/> writes.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Writes every metric's current value.</summary>
    public Task WriteAsync(Stream destination, CancellationToken cancellationToken) =>
        _registry.CollectAndExportAsTextAsync(destination, cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _adapter.Dispose();
}
