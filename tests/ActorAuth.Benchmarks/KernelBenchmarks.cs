using ActorAuth.Actors;
using BenchmarkDotNet.Attributes;

namespace ActorAuth.Benchmarks;

/// <summary>
/// The actor kernel's figures for issue 5: messages/s through one actor and through 1,000 actor pairs, and
/// actor creation/s (with the bytes allocated per actor). BenchmarkDotNet reports time per operation;
/// operations per second = 1 / that (see docs/PERFORMANCE.md).
/// </summary>
[MemoryDiagnoser]
public class KernelBenchmarks
{
    private const int OneActorMessages = 1_000_000;
    private const int Pairs = 1_000;
    private const int RoundsPerPair = 500;
    private const int Creations = 50_000;
    private ActorSystem _system = null!;

    [IterationSetup]
    public void Setup() => _system = ActorSystem.Create("bench");

    [IterationCleanup]
    public void Cleanup() => _system.Terminate().Wait(TimeSpan.FromSeconds(30));

    /// <summary>One message told to one actor (a run of 1,000,000, timed until the actor has processed the last).</summary>
    [Benchmark(OperationsPerInvoke = OneActorMessages)]
    public async Task OneActorMessage()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        IActorRef actor = _system.ActorOf(Props.Create(() => new CountingActor(OneActorMessages, done)));
        for (int i = 0; i < OneActorMessages; i++)
        {
            actor.Tell(Ball.Instance);
        }

        await done.Task.ConfigureAwait(false);
    }

    /// <summary>One message between 1,000 ping-pong pairs (500 round trips each: 1,000,000 messages a run).</summary>
    [Benchmark(OperationsPerInvoke = Pairs * RoundsPerPair * 2)]
    public async Task PairMessage()
    {
        var countdown = new Countdown(Pairs);
        for (int i = 0; i < Pairs; i++)
        {
            IActorRef pong = _system.ActorOf(Props.Create<PongActor>());
            IActorRef ping = _system.ActorOf(Props.Create(() => new PingActor(RoundsPerPair, countdown)));
            ping.Tell(pong);
        }

        await countdown.Zero.ConfigureAwait(false);
    }

    /// <summary>One actor created and started (50,000 a run); Allocated is per actor.</summary>
    [Benchmark(OperationsPerInvoke = Creations)]
    public async Task CreateActor()
    {
        var started = new Countdown(Creations);
        Props props = Props.Create(() => new IdleActor(started));
        for (int i = 0; i < Creations; i++)
        {
            _system.ActorOf(props);
        }

        await started.Zero.ConfigureAwait(false);
    }
}
