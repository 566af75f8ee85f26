using System.Globalization;
using ActorAuth.Benchmarks;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// dotnet run -c Release --project tests/ActorAuth.Benchmarks -- --filter '*'
// First the bytes per idle Akka.NET actor (not a timing), then the BenchmarkDotNet timings (ShortRun, in-process:
// the whole run takes a few minutes): Akka.NET messages, per-connection actors and the three Props forms, and whole
// handshakes in one process (these need the dev realm's KRB5_* variables and a TGT exported before the process
// starts: eval "$(actorauth realm up)"; kinit alice).
const int IdleActors = 100_000;
double perActor = await IdleActorMemory.MeasureAsync(IdleActors);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"idle actors: {IdleActors:N0} started, {perActor:N0} bytes retained per idle actor (goal <= 1024): {(perActor <= 1024 ? "met" : "NOT met")}"));

IConfig config = DefaultConfig.Instance
    .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
    .WithOptions(ConfigOptions.DisableOptimizationsValidator)
    .WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts")); // under bin/, not the repository
BenchmarkSwitcher.FromAssembly(typeof(KernelBenchmarks).Assembly).Run(args, config);
