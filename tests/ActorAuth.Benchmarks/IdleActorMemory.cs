using Akka.Actor;

namespace ActorAuth.Benchmarks;

/// <summary>
/// Bytes retained per idle actor: the managed heap after a full GC with N started, idle Akka.NET actors, minus
/// before, divided by N — the actor, its cell, mailbox and ref, and its entry in the parent's children (issue 5's
/// goal: at most 1 KiB). Not a timing, so it runs before BenchmarkDotNet, in-process.
/// </summary>
internal static class IdleActorMemory
{
    public static async Task<double> MeasureAsync(int actors)
    {
        ActorSystem system = BenchmarkSystem.Create("idle");
        try
        {
            var warm = new Countdown(100);
            Props warmProps = Props.Create<IdleActor>(warm);
            for (int i = 0; i < 100; i++)
            {
                system.ActorOf(warmProps);
            }

            await warm.Zero.ConfigureAwait(false);
            var started = new Countdown(actors);
            Props props = Props.Create<IdleActor>(started);
            long before = GC.GetTotalMemory(forceFullCollection: true);
            var refs = new IActorRef[actors];
            for (int i = 0; i < actors; i++)
            {
                refs[i] = system.ActorOf(props);
            }

            await started.Zero.ConfigureAwait(false);
            await Task.Delay(200).ConfigureAwait(false);
            long after = GC.GetTotalMemory(forceFullCollection: true);

            // The refs array itself (8 bytes per actor) is the benchmark's, not the actor's.
            double perActor = (after - before - (IntPtr.Size * (double)actors)) / actors;
            GC.KeepAlive(refs);
            return perActor;
        }
        finally
        {
            await system.Terminate().ConfigureAwait(false);
        }
    }
}
