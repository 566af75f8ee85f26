using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using HdrHistogram;

namespace ActorAuth.Bench;

/// <summary>
/// Runs a load shape against a scenario with a fixed number of worker loops (never a task per handshake):
/// each loop claims the next handshake from a shared budget, opens a session, does its protected round trips,
/// closes, and records into the run's latency histograms, which every loop shares.
/// </summary>
public sealed class LoadRunner(LoadOptions options, ILoadScenario scenario, TextWriter? progress = null)
{
    /// <summary>The most a single session may take to open or to do one round trip before it counts as a Timeout.</summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(30);

    private long _remaining;
    private long _deadline;
    private long _open;

    /// <summary>Runs the load and returns the merged report.</summary>
    public async Task<BenchResult> RunAsync(CancellationToken cancellationToken = default)
    {
        options.Validate();
        byte[] message = new byte[options.MessageSize];
        new Random(5).NextBytes(message);
        return options.Hold is { } hold
            ? await RunHoldAsync(hold, message, cancellationToken).ConfigureAwait(false)
            : await RunHandshakesAsync(message, cancellationToken).ConfigureAwait(false);
    }

    private async Task<BenchResult> RunHandshakesAsync(byte[] message, CancellationToken cancellationToken)
    {
        // The warm-up runs the same loops, unmeasured: JIT tiering, connection set-up and the first service
        // tickets (client and server alike) then fall outside the timed window, and no second process is needed.
        WorkerStats[] warmup = NewStats();
        if (options.Warmup > 0)
        {
            _remaining = options.Warmup;
            _deadline = long.MaxValue;
            await RunLoopsAsync(warmup, new RunLatencies(), message, cancellationToken).ConfigureAwait(false);
        }

        WorkerStats[] stats = NewStats();
        var latencies = new RunLatencies();
        _remaining = options.Handshakes;
        ProcessSample? serverBefore = SampleServer();
        ProcessSample?[] peersBefore = SamplePeers();
        ProcessSample clientBefore = ProcessSample.Current();
        long jitBefore = JitInfo.GetCompiledMethodCount();
        long start = Stopwatch.GetTimestamp();
        _deadline = options.Duration is { } d ? start + (long)(d.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
        using var stopProgress = new CancellationTokenSource();
        Task progressLine = ShowProgressAsync(stats, start, stopProgress.Token);
        await RunLoopsAsync(stats, latencies, message, cancellationToken).ConfigureAwait(false);
        TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
        long jitAfter = JitInfo.GetCompiledMethodCount();
        ProcessSample clientAfter = ProcessSample.Current();
        ProcessSample? serverAfter = SampleServer();
        ProcessSample?[] peersAfter = SamplePeers();
        await stopProgress.CancelAsync().ConfigureAwait(false);
        await progressLine.ConfigureAwait(false);
        return Merge(stats, latencies, elapsed, clientAfter.Cpu - clientBefore.Cpu, serverBefore, serverAfter) with
        {
            Peers = PeerSample.Between(options.PeerProcessIds, peersBefore, peersAfter),
            MessageSize = options.MessageSize,
            MessagesPerSession = options.MessagesPerSession,
            Warmup = warmup.Sum(s => s.Succeeded),
            WarmupFailures = warmup.Sum(s => s.Failed),
            ClientJitMethods = jitAfter - jitBefore,
        };
    }

    private WorkerStats[] NewStats()
    {
        var stats = new WorkerStats[options.Connections];
        for (int i = 0; i < stats.Length; i++)
        {
            stats[i] = new WorkerStats();
        }

        return stats;
    }

    private Task RunLoopsAsync(WorkerStats[] stats, RunLatencies latencies, byte[] message, CancellationToken cancellationToken)
    {
        var tasks = new Task[stats.Length];
        for (int i = 0; i < tasks.Length; i++)
        {
            tasks[i] = HandshakeLoopAsync(i, stats[i], latencies, message, cancellationToken);
        }

        return Task.WhenAll(tasks);
    }

    private async Task HandshakeLoopAsync(int index, WorkerStats stats, RunLatencies latencies, byte[] message, CancellationToken cancellationToken)
    {
        await Task.Yield();
        if (options.Ramp > TimeSpan.Zero && index > 0)
        {
            await Task.Delay(options.Ramp * index / options.Connections, cancellationToken).ConfigureAwait(false);
        }

        using ILoadWorker worker = scenario.CreateWorker(index);
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            while (!cancellationToken.IsCancellationRequested
                && Stopwatch.GetTimestamp() < _deadline
                && Interlocked.Decrement(ref _remaining) >= 0)
            {
                if (!timeout.TryReset())
                {
                    timeout.Dispose();
                    timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                }

                timeout.CancelAfter(OperationTimeout);
                await OneSessionAsync(worker, stats, latencies, message, timeout.Token, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            timeout.Dispose();
        }
    }

    private async Task OneSessionAsync(ILoadWorker worker, WorkerStats stats, RunLatencies latencies, ReadOnlyMemory<byte> message, CancellationToken timeout, CancellationToken run)
    {
        long start = Stopwatch.GetTimestamp();
        ILoadSession? session = null;
        try
        {
            session = await worker.OpenAsync(timeout).ConfigureAwait(false);
            long authenticated = Stopwatch.GetTimestamp();
            latencies.Connect.RecordElapsed(start, session.ConnectedAt);
            latencies.Handshake.RecordElapsed(start, authenticated);
            for (int m = 0; m < options.MessagesPerSession; m++)
            {
                long sent = Stopwatch.GetTimestamp();
                await session.RoundTripAsync(message, timeout).ConfigureAwait(false);
                if (m == 0)
                {
                    latencies.FirstRoundTrip.RecordElapsed(sent, Stopwatch.GetTimestamp());
                }
            }

            stats.Success();
        }
        catch (Exception e) when (!run.IsCancellationRequested)
        {
            stats.Failure(scenario.Classify(e));
        }
        finally
        {
            if (session is not null)
            {
                await DisposeQuietlyAsync(session).ConfigureAwait(false);
            }
        }
    }

    private async Task<BenchResult> RunHoldAsync(TimeSpan hold, byte[] message, CancellationToken cancellationToken)
    {
        int loops = Math.Min(options.HoldOpeners, options.Connections);
        var stats = new WorkerStats[loops];
        var sessions = new List<ILoadSession>[loops];
        var workers = new ILoadWorker[loops];
        for (int i = 0; i < loops; i++)
        {
            stats[i] = new WorkerStats();
            sessions[i] = [];
            workers[i] = scenario.CreateWorker(i);
        }

        var latencies = new RunLatencies();

        try
        {
            _remaining = options.Connections;
            _deadline = long.MaxValue;
            ProcessSample? serverBefore = SampleServer();
            ProcessSample?[] peersBefore = SamplePeers();
            ProcessSample clientBefore = ProcessSample.Current();
            long start = Stopwatch.GetTimestamp();
            using var stopProgress = new CancellationTokenSource();
            Task progressLine = ShowProgressAsync(stats, start, stopProgress.Token);
            var tasks = new Task[loops];
            for (int i = 0; i < loops; i++)
            {
                tasks[i] = OpenLoopAsync(i, loops, workers[i], stats[i], latencies, sessions[i], cancellationToken);
            }

            await Task.WhenAll(tasks).ConfigureAwait(false);
            TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
            ProcessSample clientAfter = ProcessSample.Current();
            ProcessSample? serverOpen = SampleServer();
            ProcessSample?[] peersOpen = SamplePeers();

            await Task.Delay(hold, cancellationToken).ConfigureAwait(false);
            await stopProgress.CancelAsync().ConfigureAwait(false);
            await progressLine.ConfigureAwait(false);

            // Every held session does one protected round trip, recorded as the first round trip (opening records none).
            var failures = new Dictionary<string, long>[loops];
            for (int i = 0; i < loops; i++)
            {
                failures[i] = new Dictionary<string, long>(StringComparer.Ordinal);
                tasks[i] = RoundTripHeldAsync(sessions[i], message, latencies.FirstRoundTrip, failures[i], cancellationToken);
            }

            await Task.WhenAll(tasks).ConfigureAwait(false);
            var errors = new Dictionary<string, long>(StringComparer.Ordinal);

            long endFailures = 0;
            foreach (Dictionary<string, long> f in failures)
            {
                foreach ((string reason, long count) in f)
                {
                    errors["hold-" + reason] = errors.GetValueOrDefault("hold-" + reason) + count;
                    endFailures += count;
                }
            }

            BenchResult opened = Merge(stats, latencies, elapsed, clientAfter.Cpu - clientBefore.Cpu, serverBefore, serverOpen);
            foreach ((string reason, long count) in opened.Errors)
            {
                errors[reason] = count;
            }

            return opened with
            {
                Errors = errors,
                Failures = opened.Failures + endFailures,
                Peers = PeerSample.Between(options.PeerProcessIds, peersBefore, peersOpen),
                Hold = hold,
                HeldSessions = sessions.Sum(s => (long)s.Count),
                HoldRoundTripsOk = opened.FirstRoundTrip.Count,
                HoldRoundTripsFailed = endFailures,
                MessageSize = options.MessageSize,
                MessagesPerSession = 1,
            };
        }
        finally
        {
            foreach (List<ILoadSession> list in sessions)
            {
                foreach (ILoadSession session in list)
                {
                    await DisposeQuietlyAsync(session).ConfigureAwait(false);
                }
            }

            foreach (ILoadWorker worker in workers)
            {
                worker.Dispose();
            }
        }
    }

    private async Task OpenLoopAsync(int index, int loops, ILoadWorker worker, WorkerStats stats, RunLatencies latencies, List<ILoadSession> held, CancellationToken cancellationToken)
    {
        await Task.Yield();
        if (options.Ramp > TimeSpan.Zero && index > 0)
        {
            await Task.Delay(options.Ramp * index / loops, cancellationToken).ConfigureAwait(false);
        }

        while (!cancellationToken.IsCancellationRequested && Interlocked.Decrement(ref _remaining) >= 0)
        {
            long start = Stopwatch.GetTimestamp();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(OperationTimeout);
            try
            {
                ILoadSession session = await worker.OpenAsync(timeout.Token).ConfigureAwait(false);
                long authenticated = Stopwatch.GetTimestamp();
                latencies.Connect.RecordElapsed(start, session.ConnectedAt);
                latencies.Handshake.RecordElapsed(start, authenticated);
                held.Add(session);
                Interlocked.Increment(ref _open);
                stats.Success();
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                stats.Failure(scenario.Classify(e));
            }
        }
    }

    private async Task RoundTripHeldAsync(List<ILoadSession> held, byte[] message, HistogramBase roundTrips, Dictionary<string, long> failures, CancellationToken cancellationToken)
    {
        await Task.Yield();
        foreach (ILoadSession session in held)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(OperationTimeout);
            long sent = Stopwatch.GetTimestamp();
            try
            {
                await session.RoundTripAsync(message, timeout.Token).ConfigureAwait(false);
                roundTrips.RecordElapsed(sent, Stopwatch.GetTimestamp());
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                string reason = scenario.Classify(e);
                failures[reason] = failures.GetValueOrDefault(reason) + 1;
            }
        }
    }

    private BenchResult Merge(WorkerStats[] stats, RunLatencies latencies, TimeSpan elapsed, TimeSpan clientCpu, ProcessSample? serverBefore, ProcessSample? serverAfter)
    {
        var errors = new Dictionary<string, long>(StringComparer.Ordinal);
        long succeeded = 0, failed = 0;
        foreach (WorkerStats s in stats)
        {
            succeeded += s.Succeeded;
            failed += s.Failed;
            foreach ((string reason, long count) in s.Errors)
            {
                errors[reason] = errors.GetValueOrDefault(reason) + count;
            }
        }

        return new BenchResult
        {
            Target = scenario.Name,
            Connections = options.Connections,
            Handshakes = succeeded,
            Failures = failed,
            Errors = errors,
            Elapsed = elapsed,
            Connect = LatencySummary.From(latencies.Connect),
            Handshake = LatencySummary.From(latencies.Handshake),
            FirstRoundTrip = LatencySummary.From(latencies.FirstRoundTrip),
            ClientCpu = clientCpu,
            ServerCpu = serverBefore is { } b && serverAfter is { } a ? a.Cpu - b.Cpu : null,
            ServerRssBefore = serverBefore?.ResidentBytes,
            ServerRssAfter = serverAfter?.ResidentBytes,
        };
    }

    private ProcessSample? SampleServer() => options.ServerProcessId is int pid ? ProcessSample.Of(pid) : null;

    private ProcessSample?[] SamplePeers() => [.. options.PeerProcessIds.Select(ProcessSample.Of)];

    private async Task ShowProgressAsync(WorkerStats[] stats, long start, CancellationToken stop)
    {
        if (progress is null || !options.Progress)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        long lastCount = 0;
        long lastTime = start;
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                long ok = 0, failed = 0;
                foreach (WorkerStats s in stats)
                {
                    ok += s.Succeeded;
                    failed += s.Failed;
                }

                long now = Stopwatch.GetTimestamp();
                double rate = (ok - lastCount) / Stopwatch.GetElapsedTime(lastTime, now).TotalSeconds;
                (lastCount, lastTime) = (ok, now);
                string held = options.Hold is null ? "" : string.Create(CultureInfo.InvariantCulture, $"  {Interlocked.Read(ref _open):N0} open");
                await progress.WriteAsync(string.Create(CultureInfo.InvariantCulture,
                    $"\r{Stopwatch.GetElapsedTime(start).TotalSeconds,6:0.0} s  {ok,10:N0} ok  {failed,6:N0} failed  {rate,9:N0}/s{held}   ")).ConfigureAwait(false);
                await progress.FlushAsync(stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }

        await progress.WriteAsync('\n').ConfigureAwait(false);
    }

    private static async ValueTask DisposeQuietlyAsync(ILoadSession session)
    {
        try
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
        }
    }
}
