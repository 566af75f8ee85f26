using System.Numerics;

namespace ActorAuth.Bench;

/// <summary>
/// A log-linear histogram of non-negative values (nanoseconds here), after HdrHistogram: values below 256
/// are counted exactly; every power-of-two range [2^k, 2^(k+1)) above is split into 128 equal buckets, so a
/// bucket is at most 1/128 of its lower bound wide and a reported value — the bucket's midpoint, clamped to
/// the exact minimum and maximum — is within 0.4% of any value in the bucket (the issue asks for ≤ 1%).
/// <code>
/// value v &lt; 256:   index = v
/// value v ≥ 256:   k = floor(log2 v), sub = (v &gt;&gt; (k − 7)) − 128  (0..127),  index = 256 + (k − 8)·128 + sub
/// </code>
/// Single writer: each load worker owns one and they are <see cref="Add">merged</see> at the end, so recording
/// takes no lock and allocates nothing. Values above <see cref="HighestTrackable"/> (about 2.4 hours in
/// nanoseconds) are counted in the last bucket; the exact maximum is kept separately.
/// </summary>
public sealed class LatencyHistogram
{
    private const int LinearLimit = 256;
    private const int SubBucketBits = 7;
    private const int SubBuckets = 1 << SubBucketBits;
    private const int HighestPower = 42;

    /// <summary>The largest value with its own bucket: 2^43 − 1.</summary>
    public const long HighestTrackable = (1L << (HighestPower + 1)) - 1;

    private static readonly int BucketCount = LinearLimit + ((HighestPower - 8 + 1) * SubBuckets);

    private readonly long[] _counts = new long[BucketCount];
    private long _min = long.MaxValue;

    /// <summary>Values recorded.</summary>
    public long Count { get; private set; }

    /// <summary>The exact smallest value recorded (0 when empty).</summary>
    public long Min => Count == 0 ? 0 : _min;

    /// <summary>The exact largest value recorded (0 when empty).</summary>
    public long Max { get; private set; }

    /// <summary>The exact sum of the values recorded.</summary>
    public double Sum { get; private set; }

    /// <summary>The exact mean (0 when empty).</summary>
    public double Mean => Count == 0 ? 0 : Sum / Count;

    /// <summary>Counts one value; a negative value is counted as 0.</summary>
    public void Record(long value)
    {
        if (value < 0)
        {
            value = 0;
        }

        _counts[IndexOf(value)]++;
        Count++;
        Sum += value;
        if (value < _min)
        {
            _min = value;
        }

        if (value > Max)
        {
            Max = value;
        }
    }

    /// <summary>Adds <paramref name="other"/>'s counts to this one (other is unchanged). Not thread-safe: merge after the writers finish.</summary>
    public void Add(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Count == 0)
        {
            return;
        }

        for (int i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        Sum += other.Sum;
        _min = Math.Min(_min, other._min);
        Max = Math.Max(Max, other.Max);
    }

    /// <summary>
    /// The value at percentile <paramref name="percentile"/> (0..100) by nearest rank: the smallest recorded
    /// value v such that at least percentile% of the values are ≤ v, to within the bucket's error; 100 is the
    /// exact maximum. 0 when empty.
    /// </summary>
    public long ValueAtPercentile(double percentile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(percentile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        if (Count == 0)
        {
            return 0;
        }

        if (percentile >= 100)
        {
            return Max;
        }

        long rank = Math.Max(1, (long)Math.Ceiling(percentile / 100 * Count));
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                // The overflow bucket has no meaningful midpoint: its values are all above the range, like the max.
                return i == _counts.Length - 1 ? Max : Math.Clamp(Representative(i), Min, Max);
            }
        }

        return Max;
    }

    /// <summary>The bucket a value falls in.</summary>
    internal static int IndexOf(long value)
    {
        if (value < LinearLimit)
        {
            return (int)value;
        }

        if (value > HighestTrackable)
        {
            return BucketCount - 1;
        }

        int power = 63 - BitOperations.LeadingZeroCount((ulong)value);
        int sub = (int)(value >> (power - SubBucketBits)) - SubBuckets;
        return LinearLimit + ((power - 8) * SubBuckets) + sub;
    }

    /// <summary>The midpoint of a bucket: exact below 256.</summary>
    internal static long Representative(int index)
    {
        if (index < LinearLimit)
        {
            return index;
        }

        int power = ((index - LinearLimit) / SubBuckets) + 8;
        int sub = (index - LinearLimit) % SubBuckets;
        long width = 1L << (power - SubBucketBits);
        long lower = (long)(SubBuckets + sub) << (power - SubBucketBits);
        return lower + (width / 2);
    }
}
