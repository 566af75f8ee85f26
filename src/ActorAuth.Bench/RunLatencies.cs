using HdrHistogram;

namespace ActorAuth.Bench;

/// <summary>
/// A run's latency histograms, one per measure, which all its worker loops record into concurrently: memory is
/// three histograms (210 KB) whatever <c>--connections</c> is, where a set per loop would grow with it.
/// </summary>
internal sealed class RunLatencies
{
    public HistogramBase Connect { get; } = LatencyHistogram.Create();

    public HistogramBase Handshake { get; } = LatencyHistogram.Create();

    /// <summary>The first protected round trip of each session (in hold mode: the round trip at the end of the hold).</summary>
    public HistogramBase FirstRoundTrip { get; } = LatencyHistogram.Create();
}
