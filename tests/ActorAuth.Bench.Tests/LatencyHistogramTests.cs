using System.Diagnostics;
using ActorAuth.Bench;
using HdrHistogram;
using Xunit;

namespace ActorAuth.Bench.Tests;

/// <summary>Runs these tests alone, so that the concurrent-recording test's threads get both cores and collide.</summary>
[CollectionDefinition(nameof(LatencyHistogramTests), DisableParallelization = true)]
public class AloneCollection;

/// <summary>What the load generator relies on from its shared HdrHistogram histograms of microseconds.</summary>
[Collection(nameof(LatencyHistogramTests))]
public class LatencyHistogramTests
{
    private static readonly double[] Percentiles = [0, 1, 10, 25, 50, 75, 90, 99, 99.9, 99.99, 100];

    /// <summary>
    /// The value of the given rank in the sorted values, the rank as HdrHistogram.NET takes it: percentile × count
    /// rounded to the nearest (at least 1). With HdrHistogram's rule the oracle tests the values, not the rank rule:
    /// in a sparse tail the neighbouring ranks are far more than 0.1% apart.
    /// </summary>
    private static long Oracle(long[] sorted, double percentile) =>
        sorted[Math.Max(1, (long)((percentile / 100 * sorted.Length) + 0.5)) - 1];

    public static TheoryData<int, string> Distributions => new()
    {
        { 1, "uniform" }, { 2, "lognormal" }, { 3, "bimodal" }, { 4, "small" }, { 5, "lognormal" },
    };

    /// <summary>Latencies in microseconds: up to the whole minute, heavy-tailed, two modes, or all below 2,048 µs.</summary>
    private static long[] Sample(int seed, string shape, int count)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => shape switch
        {
            "uniform" => random.NextInt64(0, LatencyHistogram.HighestMicroseconds + 1),
            "lognormal" => (long)Math.Exp(4 + (3 * Gaussian(random))),
            "bimodal" => random.Next(10) == 0 ? random.NextInt64(300_000, 400_000) : random.NextInt64(1_000, 2_000),
            _ => random.NextInt64(0, 2_048),
        }).Select(v => Math.Min(v, LatencyHistogram.HighestMicroseconds)).ToArray();
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static HistogramBase Of(IEnumerable<long> microseconds)
    {
        HistogramBase histogram = LatencyHistogram.Create();
        foreach (long v in microseconds)
        {
            histogram.RecordValue(v);
        }

        return histogram;
    }

    [Theory]
    [MemberData(nameof(Distributions))]
    public void Percentiles_are_the_sorted_values_to_three_significant_digits(int seed, string shape)
    {
        long[] values = Sample(seed, shape, 100_000);
        HistogramBase histogram = Of(values);
        Array.Sort(values);
        foreach (double p in Percentiles)
        {
            long expected = Oracle(values, p);
            long actual = histogram.GetValueAtPercentile(p);
            Assert.True(Math.Abs(actual - expected) <= expected / 1000.0,
                $"p{p}: histogram {actual} µs, sorted values {expected} µs ({shape}, seed {seed})");
        }
    }

    [Fact]
    public void Latencies_below_2048_microseconds_are_exact_to_the_microsecond()
    {
        // Each of 1..2047 once, so the value of rank v is v.
        HistogramBase histogram = Of(Enumerable.Range(1, 2_047).Select(v => (long)v));
        for (int v = 1; v < 2_048; v++)
        {
            Assert.Equal(v, histogram.GetValueAtPercentile(100.0 * v / 2_047));
        }

        Assert.Equal(2_047, histogram.GetMaxValue());
    }

    [Fact]
    public void Elapsed_stopwatch_time_is_recorded_in_microseconds()
    {
        HistogramBase histogram = LatencyHistogram.Create();
        histogram.RecordElapsed(1_000, 1_000 + (Stopwatch.Frequency / 1_000));
        Assert.Equal(1, histogram.TotalCount);
        Assert.Equal(1_000, histogram.GetMaxValue());
    }

    [Fact]
    public void An_elapsed_time_beyond_a_minute_is_counted_as_a_minute_instead_of_throwing()
    {
        HistogramBase histogram = LatencyHistogram.Create();
        histogram.RecordElapsed(0, Stopwatch.Frequency * 3 * 3_600);
        Assert.Equal(1, histogram.TotalCount);
        Assert.Equal(LatencyHistogram.HighestMicroseconds, histogram.GetMaxValue(), (double)LatencyHistogram.HighestMicroseconds / 1000);
    }

    [Fact]
    public void An_end_before_the_start_is_counted_as_zero_instead_of_throwing()
    {
        HistogramBase histogram = LatencyHistogram.Create();
        histogram.RecordElapsed(Stopwatch.Frequency, 0);
        Assert.Equal(1, histogram.TotalCount);
        Assert.Equal(0, histogram.GetMaxValue());
    }

    /// <summary>Records value i from thread i mod <paramref name="threads"/>, all the threads into one histogram at once.</summary>
    private static HistogramBase RecordConcurrently(long[] values, int threads)
    {
        HistogramBase shared = LatencyHistogram.Create();
        using var start = new Barrier(threads);
        Thread[] writers = Enumerable.Range(0, threads).Select(w => new Thread(() =>
        {
            start.SignalAndWait();
            for (int i = w; i < values.Length; i += threads)
            {
                shared.RecordValue(values[i]);
            }
        })).ToArray();
        foreach (Thread t in writers)
        {
            t.Start();
        }

        foreach (Thread t in writers)
        {
            t.Join();
        }

        return shared;
    }

    [Fact]
    public void Recording_from_several_threads_at_once_equals_one_histogram_of_all_values()
    {
        // Many values in few buckets, so that unsynchronised increments would collide and be lost; several rounds,
        // because whether the threads really run at the same moment is up to the scheduler.
        long[] values = Sample(11, "small", 1_000_000);
        HistogramBase whole = Of(values);
        for (int round = 0; round < 8; round++)
        {
            HistogramBase shared = RecordConcurrently(values, threads: 4);
            Assert.Equal(values.Length, shared.TotalCount);
            Assert.Equal(whole.GetMaxValue(), shared.GetMaxValue());
            Assert.Equal(whole.GetMean(), shared.GetMean());
            foreach (double p in Percentiles)
            {
                Assert.Equal(whole.GetValueAtPercentile(p), shared.GetValueAtPercentile(p));
            }
        }
    }

    [Fact]
    public void Summary_is_in_milliseconds_to_the_histograms_precision()
    {
        LatencySummary summary = LatencySummary.From(Of(Enumerable.Range(1, 1_000).Select(v => v * 100L)));
        Assert.Equal(1_000, summary.Count);
        Assert.Equal(50.0, summary.P50, 0.05);
        Assert.Equal(90.0, summary.P90, 0.09);
        Assert.Equal(99.0, summary.P99, 0.099);
        Assert.Equal(99.9, summary.P999, 0.0999);
        Assert.Equal(100.0, summary.Max, 0.1);
        Assert.Equal(50.05, summary.Mean, 0.05);
    }

    [Fact]
    public void Summary_of_an_empty_histogram_is_all_zeros()
    {
        LatencySummary summary = LatencySummary.From(LatencyHistogram.Create());
        Assert.Equal(new LatencySummary(0, 0, 0, 0, 0, 0, 0), summary);
    }
}
