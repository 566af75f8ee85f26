using System.Diagnostics;
using HdrHistogram;

namespace ActorAuth.Bench;

/// <summary>
/// The load generator's latency histograms: HdrHistogram histograms of microseconds, one per worker loop and
/// measure, merged with <see cref="HistogramBase.Add"/> once the loops have finished (single writer, no lock).
/// </summary>
public static class LatencyHistogram
{
    /// <summary>The longest latency tracked, in microseconds: one hour. A longer one is counted as one hour.</summary>
    public const long HighestMicroseconds = 3_600_000_000;

    /// <summary>An empty histogram of microseconds from 1 µs to an hour, every value kept to 3 significant digits.</summary>
    // Microseconds: the report prints milliseconds to 3 decimals, so a finer unit would only cost buckets.
    // An hour: far beyond any operation (LoadRunner.OperationTimeout ends one at 30 s), so nothing real is clamped.
    // 3 digits: within 0.1% (exact below 2,048 µs). IntHistogram: 95 KB each instead of LongHistogram's 190 KB,
    // times 3 per worker and 1,024 workers in scripts/bench.sh; an int count overflows only at 2^31 values in one bucket.
    public static HistogramBase Create() => new IntHistogram(1, HighestMicroseconds, 3);

    /// <summary>
    /// Records the time from <paramref name="startTimestamp"/> to <paramref name="endTimestamp"/> (both
    /// <see cref="Stopwatch.GetTimestamp"/> readings) in microseconds, clamped to 0..<see cref="HighestMicroseconds"/>
    /// because HdrHistogram throws for a value outside its range.
    /// </summary>
    public static void RecordElapsed(this HistogramBase histogram, long startTimestamp, long endTimestamp)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        long microseconds = (long)Stopwatch.GetElapsedTime(startTimestamp, endTimestamp).TotalMicroseconds;
        histogram.RecordValue(Math.Clamp(microseconds, 0, HighestMicroseconds));
    }
}
