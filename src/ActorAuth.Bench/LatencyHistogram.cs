using System.Diagnostics;
using HdrHistogram;

namespace ActorAuth.Bench;

/// <summary>
/// The load generator's latency histograms: HdrHistogram histograms of microseconds, one per measure, shared by
/// every worker loop of a run (concurrent recording), read once the loops have finished.
/// </summary>
public static class LatencyHistogram
{
    /// <summary>The longest latency tracked, in microseconds: one minute. A longer one is counted as one minute.</summary>
    // A recorded latency is of an operation that finished within LoadRunner.OperationTimeout (30 s); cancellation is
    // cooperative, so one may finish a little past it. Twice the timeout leaves room for that at no cost (70 KB,
    // against 66 KB for 30 s and 95 KB for an hour), and a latency beyond it is still counted, as a minute.
    public const long HighestMicroseconds = 60_000_000;

    /// <summary>An empty histogram of microseconds from 1 µs to a minute, every value kept to 3 significant digits.</summary>
    // Microseconds: the report prints milliseconds to 3 decimals, so a finer unit would only cost buckets.
    // 3 digits: within 0.1% (exact below 2,048 µs). IntConcurrentHistogram: recording is wait-free (atomic increments)
    // from any number of loops, so a run needs one histogram per measure, not one per loop; reads need no
    // Recorder because they happen only after every loop has finished. Int counts: 70 KB instead of 140 KB, and
    // overflow only at 2^31 values in one bucket.
    public static HistogramBase Create() => new IntConcurrentHistogram(1, HighestMicroseconds, 3);

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
