using System.Diagnostics;
using ActorAuth.Bench;
using Xunit;

namespace ActorAuth.Bench.Tests;

/// <summary>That the run's shared latency histograms receive every loop's measurements.</summary>
public class LoadRunnerTests
{
    /// <summary>Sessions that open and echo at once, yielding so that the loops interleave.</summary>
    private sealed class InstantScenario : ILoadScenario, ILoadWorker
    {
        public string Name => "instant";

        public ILoadWorker CreateWorker(int index) => this;

        public string Classify(Exception failure) => failure.GetType().Name;

        public async ValueTask<ILoadSession> OpenAsync(CancellationToken cancellationToken)
        {
            await Task.Yield();
            return new Session(Stopwatch.GetTimestamp());
        }

        public void Dispose()
        {
        }

        private sealed class Session(long connectedAt) : ILoadSession
        {
            public long ConnectedAt => connectedAt;

            public async ValueTask RoundTripAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken) => await Task.Yield();

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task Every_session_of_every_loop_is_in_the_latencies()
    {
        var options = new LoadOptions { Connections = 32, Handshakes = 2_000, MessagesPerSession = 2 };
        BenchResult result = await new LoadRunner(options, new InstantScenario()).RunAsync();
        Assert.Equal(2_000, result.Handshakes);
        Assert.Equal(2_000, result.Connect.Count);
        Assert.Equal(2_000, result.Handshake.Count);
        Assert.Equal(2_000, result.FirstRoundTrip.Count); // the first of each session's two round trips only
    }

    [Fact]
    public async Task The_warm_up_is_in_no_figure_of_the_measured_run()
    {
        var options = new LoadOptions { Connections = 16, Handshakes = 1_000, Warmup = 700 };
        BenchResult result = await new LoadRunner(options, new InstantScenario()).RunAsync();
        Assert.Equal(1_000, result.Handshakes);
        Assert.Equal(1_000, result.Handshake.Count);
        Assert.Equal(700, result.Warmup);
        Assert.Equal(0, result.WarmupFailures);
    }

    [Fact]
    public void A_warm_up_is_refused_in_hold_mode() =>
        Assert.Throws<ArgumentException>(() => new LoadOptions { Hold = TimeSpan.FromSeconds(1), Warmup = 10 }.Validate());

    [Fact]
    public async Task Hold_mode_records_the_round_trip_at_the_end_of_every_held_session()
    {
        var options = new LoadOptions { Connections = 300, HoldOpeners = 8, Hold = TimeSpan.FromMilliseconds(1) };
        BenchResult result = await new LoadRunner(options, new InstantScenario()).RunAsync();
        Assert.Equal(300, result.HeldSessions);
        Assert.Equal(300, result.Handshake.Count);
        Assert.Equal(300, result.HoldRoundTripsOk);
        Assert.Equal(300, result.FirstRoundTrip.Count);
    }
}
