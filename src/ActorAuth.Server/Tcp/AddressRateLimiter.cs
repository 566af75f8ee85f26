using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace ActorAuth.Server.Tcp;

/// <summary>
/// The per-address connection rate: a token bucket per remote address (<c>per-address-rate</c> tokens a second, up to
/// <c>per-address-burst</c>). In a cluster each node also <see cref="Charge"/>s the buckets with the connections the
/// other nodes admitted (gossiped every interval; <see cref="TakeAdmitted"/>), so an address gets the rate once for
/// the whole cluster rather than once per node; a bucket may go below zero by what the others admitted, down to
/// minus one burst. Full, idle buckets are dropped, so many addresses don't accumulate. Thread-safe.
/// </summary>
public sealed class AddressRateLimiter
{
    private const int SweepEvery = 4_096;

    private readonly ConcurrentDictionary<IPAddress, Bucket> _buckets = new();
    private readonly double _perSecond;
    private readonly double _burst;
    private int _untilSweep = SweepEvery;

    /// <summary>Creates the limiter: <paramref name="perSecond"/> connections a second per address, bursts of <paramref name="burst"/>.</summary>
    public AddressRateLimiter(int perSecond, int burst)
    {
        _perSecond = perSecond;
        _burst = burst;
    }

    /// <summary>Takes one token of <paramref name="address"/>'s bucket; false when it has none (refuse the connection).</summary>
    public bool TryAcquire(IPAddress address)
    {
        if (Interlocked.Decrement(ref _untilSweep) <= 0)
        {
            Sweep();
        }

        Bucket bucket = _buckets.GetOrAdd(address, static (_, burst) => new Bucket(burst), _burst);
        lock (bucket)
        {
            Refill(bucket);
            if (bucket.Tokens < 1)
            {
                return false;
            }

            bucket.Tokens--;
            bucket.Admitted++;
            return true;
        }
    }

    /// <summary>Takes <paramref name="connections"/> tokens another node spent on <paramref name="address"/>.</summary>
    public void Charge(IPAddress address, int connections)
    {
        Bucket bucket = _buckets.GetOrAdd(address, static (_, burst) => new Bucket(burst), _burst);
        lock (bucket)
        {
            Refill(bucket);
            bucket.Tokens = Math.Max(bucket.Tokens - connections, -_burst);
        }
    }

    /// <summary>The connections admitted per address since the last call, for the other nodes to charge.</summary>
    public List<(IPAddress Address, int Connections)> TakeAdmitted()
    {
        var admitted = new List<(IPAddress, int)>();
        foreach ((IPAddress address, Bucket bucket) in _buckets)
        {
            lock (bucket)
            {
                if (bucket.Admitted > 0)
                {
                    admitted.Add((address, bucket.Admitted));
                    bucket.Admitted = 0;
                }
            }
        }

        return admitted;
    }

    private void Refill(Bucket bucket)
    {
        long now = Stopwatch.GetTimestamp();
        bucket.Tokens = Math.Min(_burst, bucket.Tokens + (Stopwatch.GetElapsedTime(bucket.Stamp, now).TotalSeconds * _perSecond));
        bucket.Stamp = now;
    }

    private void Sweep()
    {
        Interlocked.Exchange(ref _untilSweep, SweepEvery);
        foreach ((IPAddress address, Bucket bucket) in _buckets)
        {
            lock (bucket)
            {
                Refill(bucket);
                if (bucket.Tokens >= _burst && bucket.Admitted == 0)
                {
                    _buckets.TryRemove(address, out _);
                }
            }
        }
    }

    private sealed class Bucket(double tokens)
    {
        public double Tokens = tokens;
        public long Stamp = Stopwatch.GetTimestamp();
        public int Admitted;
    }
}
