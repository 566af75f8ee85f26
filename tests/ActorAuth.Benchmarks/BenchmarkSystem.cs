using Akka.Actor;
using Akka.Configuration;

namespace ActorAuth.Benchmarks;

/// <summary>The actor system every benchmark runs in: Akka's defaults, minus the logging that would be measured too.</summary>
internal static class BenchmarkSystem
{
    // Stopped actors get their last tells as dead letters in the shutdown races; logging each would be timed.
    private static readonly Config Quiet = ConfigurationFactory.ParseString("""
        akka.loglevel = WARNING
        akka.stdout-loglevel = WARNING
        akka.log-dead-letters = off
        akka.log-dead-letters-during-shutdown = off
        """);

    public static ActorSystem Create(string name) => ActorSystem.Create(name, Quiet);
}
