using Akka.Actor;
using BenchmarkDotNet.Attributes;

namespace ActorAuth.Benchmarks;

/// <summary>
/// Akka.NET's figures for issue 10 (issue 5's, remeasured on Akka): messages/s through one actor, through 1,000
/// actor pairs and through per-connection actors shaped like the server's. BenchmarkDotNet reports time per
/// operation; operations per second = 1 / that (see docs/PERFORMANCE.md). Creation per Props form is in
/// <see cref="ActorCreationBenchmarks"/>.
/// </summary>
[MemoryDiagnoser]
public class KernelBenchmarks
{
    private const int OneActorMessages = 1_000_000;
    private const int Pairs = 1_000;
    private const int RoundsPerPair = 500;
    private const int Connections = 20_000;
    private const int TokensPerConnection = 3;
    private ActorSystem _system = null!;

    [IterationSetup]
    public void Setup() => _system = BenchmarkSystem.Create("bench");

    [IterationCleanup]
    public void Cleanup() => _system.Terminate().Wait(TimeSpan.FromSeconds(30));

    /// <summary>One message told to one actor (a run of 1,000,000, timed until the actor has processed the last).</summary>
    [Benchmark(OperationsPerInvoke = OneActorMessages)]
    public async Task OneActorMessage()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        IActorRef actor = _system.ActorOf(Props.Create<CountingActor>(OneActorMessages, done));
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
        Props pongProps = Props.Create<PongActor>();
        Props pingProps = Props.Create<PingActor>(RoundsPerPair, countdown);
        for (int i = 0; i < Pairs; i++)
        {
            IActorRef pong = _system.ActorOf(pongProps);
            IActorRef ping = _system.ActorOf(pingProps);
            ping.Tell(pong);
        }

        await countdown.Zero.ConfigureAwait(false);
    }

    /// <summary>
    /// One message through a per-connection actor: 20,000 connections, each an actor created (the producer form),
    /// told 3 messages and stopped by the last; timed until every one has stopped, so creation and stop are in the
    /// cost of its 3 messages, as in a handshake.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Connections * TokensPerConnection)]
    public async Task ConnectionMessage()
    {
        var stopped = new Countdown(Connections);
        for (int i = 0; i < Connections; i++)
        {
            IActorRef connection = _system.ActorOf(Props.CreateBy(new ConnectionActorProducer(new Accepted(TokensPerConnection, stopped))));
            for (int t = 0; t < TokensPerConnection; t++)
            {
                connection.Tell(Ball.Instance);
            }
        }

        await stopped.Zero.ConfigureAwait(false);
    }
}
