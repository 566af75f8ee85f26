using Akka.Actor;
using BenchmarkDotNet.Attributes;

namespace ActorAuth.Benchmarks;

/// <summary>
/// One actor per connection created, told one message and stopped, with each of the three ways to make its Props
/// from per-connection arguments (akka.net issue 4698; FACTS.md's spike measured the expression form at ~3.5x the
/// server CPU of the others). Props are made per connection, as the server's supervisor must: the arguments
/// differ each time. Allocated is per actor.
/// </summary>
[MemoryDiagnoser]
public class ActorCreationBenchmarks
{
    // Enough for 100 ms a run each: the expression form is some 40x slower than the others.
    private const int ExpressionCreations = 5_000;
    private const int Creations = 20_000;
    private ActorSystem _system = null!;

    [IterationSetup]
    public void Setup() => _system = BenchmarkSystem.Create("create");

    [IterationCleanup]
    public void Cleanup() => _system.Terminate().Wait(TimeSpan.FromSeconds(30));

    /// <summary><c>Props.Create(() => new X(accepted.A, accepted.B))</c>: Akka compiles each argument that is a member of a member, per call.</summary>
    [Benchmark(OperationsPerInvoke = ExpressionCreations)]
    public Task CreateActorExpression() => Run(ExpressionCreations, accepted => Props.Create(() => new ConnectionActor(accepted.Tokens, accepted.Stopped)));

    /// <summary><c>Props.Create&lt;X&gt;(a, b)</c>: Activator.CreateInstance with the arguments, matched to a constructor by reflection.</summary>
    [Benchmark(OperationsPerInvoke = Creations)]
    public Task CreateActorActivator() => Run(Creations, accepted => Props.Create<ConnectionActor>(accepted.Tokens, accepted.Stopped));

    /// <summary><c>Props.CreateBy(producer)</c>: the producer calls the constructor directly.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Creations)]
    public Task CreateActorProducer() => Run(Creations, accepted => Props.CreateBy(new ConnectionActorProducer(accepted)));

    private async Task Run(int creations, Func<Accepted, Props> props)
    {
        var stopped = new Countdown(creations);
        for (int i = 0; i < creations; i++)
        {
            _system.ActorOf(props(new Accepted(1, stopped))).Tell(Ball.Instance);
        }

        await stopped.Zero.ConfigureAwait(false);
    }
}
