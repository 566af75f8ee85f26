using ActorAuth.Bench;
using Xunit;

namespace ActorAuth.Bench.Tests;

public class LatencyHistogramTests
{
    private static readonly double[] Percentiles = [0, 1, 10, 25, 50, 75, 90, 99, 99.9, 99.99, 100];

    /// <summary>Nearest rank on the sorted values: the oracle the histogram must match within its error bound.</summary>
    private static long Oracle(long[] sorted, double percentile) =>
        sorted[(int)Math.Max(0, Math.Ceiling(percentile / 100 * sorted.Length) - 1)];

    public static TheoryData<int, string> Distributions => new()
    {
        { 1, "uniform" }, { 2, "lognormal" }, { 3, "bimodal" }, { 4, "small" }, { 5, "lognormal" },
    };

    private static long[] Sample(int seed, string shape, int count)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => shape switch
        {
            "uniform" => random.NextInt64(0, 50_000_000_000),
            "lognormal" => (long)Math.Exp(11 + (3 * Gaussian(random))),
            "bimodal" => random.Next(10) == 0 ? random.NextInt64(300_000_000, 400_000_000) : random.NextInt64(1_000_000, 2_000_000),
            _ => random.NextInt64(0, 1_000),
        }).ToArray();
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    [Theory]
    [MemberData(nameof(Distributions))]
    public void Percentiles_are_within_one_percent_of_the_sorted_array_oracle(int seed, string shape)
    {
        long[] values = Sample(seed, shape, 100_000);
        var histogram = new LatencyHistogram();
        foreach (long v in values)
        {
            histogram.Record(v);
        }

        Array.Sort(values);
        foreach (double p in Percentiles)
        {
            long expected = Oracle(values, p);
            long actual = histogram.ValueAtPercentile(p);
            Assert.True(Math.Abs(actual - expected) <= expected * 0.01,
                $"p{p}: histogram {actual}, oracle {expected} ({shape}, seed {seed})");
        }
    }

    [Fact]
    public void Values_below_256_are_exact()
    {
        var histogram = new LatencyHistogram();
        for (long v = 0; v < 256; v++)
        {
            histogram.Record(v);
        }

        Assert.Equal(127, histogram.ValueAtPercentile(50));
        Assert.Equal(0, histogram.ValueAtPercentile(0));
        Assert.Equal(255, histogram.ValueAtPercentile(100));
    }

    [Fact]
    public void Every_bucket_is_at_most_one_128th_of_its_lower_bound_wide()
    {
        var random = new Random(7);
        for (int i = 0; i < 100_000; i++)
        {
            long v = random.NextInt64(256, LatencyHistogram.HighestTrackable);
            long representative = LatencyHistogram.Representative(LatencyHistogram.IndexOf(v));
            Assert.True(Math.Abs(representative - v) <= v / 128.0, $"{v} -> {representative}");
        }
    }

    [Fact]
    public void Bucket_indexes_increase_with_the_value()
    {
        int last = -1;
        for (long v = 0; v < 1 << 20; v += 7)
        {
            int index = LatencyHistogram.IndexOf(v);
            Assert.True(index >= last);
            last = index;
        }
    }

    [Fact]
    public void Min_max_mean_and_count_are_exact()
    {
        var histogram = new LatencyHistogram();
        long[] values = [123_456_789, 5, 987_654_321_000, 42];
        foreach (long v in values)
        {
            histogram.Record(v);
        }

        Assert.Equal(4, histogram.Count);
        Assert.Equal(5, histogram.Min);
        Assert.Equal(987_654_321_000, histogram.Max);
        Assert.Equal(987_654_321_000, histogram.ValueAtPercentile(100));
        Assert.Equal(values.Average(v => (double)v), histogram.Mean, 3);
    }

    [Fact]
    public void A_value_beyond_the_range_is_counted_and_kept_as_the_exact_max()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(long.MaxValue);
        histogram.Record(-3);
        Assert.Equal(2, histogram.Count);
        Assert.Equal(0, histogram.Min);
        Assert.Equal(long.MaxValue, histogram.Max);
        Assert.Equal(long.MaxValue, histogram.ValueAtPercentile(100));
    }

    [Fact]
    public void Empty_histogram_reports_zero()
    {
        var histogram = new LatencyHistogram();
        Assert.Equal(0, histogram.ValueAtPercentile(99));
        Assert.Equal(0, histogram.Max);
        Assert.Equal(0, histogram.Min);
        Assert.Equal(0, histogram.Mean);
    }

    [Fact]
    public void Merged_worker_histograms_equal_one_histogram_of_all_values()
    {
        long[] values = Sample(11, "lognormal", 60_000);
        var whole = new LatencyHistogram();
        var workers = Enumerable.Range(0, 8).Select(_ => new LatencyHistogram()).ToArray();
        for (int i = 0; i < values.Length; i++)
        {
            whole.Record(values[i]);
            workers[i % workers.Length].Record(values[i]);
        }

        var merged = new LatencyHistogram();
        merged.Add(new LatencyHistogram()); // an idle worker changes nothing
        foreach (LatencyHistogram w in workers)
        {
            merged.Add(w);
        }

        Assert.Equal(whole.Count, merged.Count);
        Assert.Equal(whole.Min, merged.Min);
        Assert.Equal(whole.Max, merged.Max);
        Assert.Equal(whole.Sum, merged.Sum);
        foreach (double p in Percentiles)
        {
            Assert.Equal(whole.ValueAtPercentile(p), merged.ValueAtPercentile(p));
        }

        Array.Sort(values);
        Assert.Equal(values[^1], merged.Max);
        Assert.True(Math.Abs(merged.ValueAtPercentile(99) - Oracle(values, 99)) <= Oracle(values, 99) * 0.01);
    }

    [Fact]
    public void Percentile_outside_0_to_100_is_refused()
    {
        var histogram = new LatencyHistogram();
        Assert.Throws<ArgumentOutOfRangeException>(() => histogram.ValueAtPercentile(100.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => histogram.ValueAtPercentile(-1));
    }
}
