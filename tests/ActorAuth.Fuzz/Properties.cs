using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using Xunit.Abstractions;

namespace ActorAuth.Fuzz;

/// <summary>
/// Runs an FsCheck property the way every property here runs: fixed seed from <see cref="FuzzSettings"/>, a
/// round of a fixed count of tests, more rounds (each its own derived seed) until the property's share of a long
/// run's budget is spent. A failure names the run's seed and round, and FsCheck's shrunk input.
/// </summary>
internal static class Properties
{
    /// <summary>Checks <paramref name="property"/> on <paramref name="arbitrary"/>'s inputs, <paramref name="tests"/> per round.</summary>
    public static void Run<T>(ITestOutputHelper output, string name, Arbitrary<T> arbitrary, Action<T> property, int tests, double share = 0.05)
    {
        FuzzSettings settings = FuzzSettings.Current;
        DateTime deadline = settings.DeadlineFor(share);
        int rounds = 0;
        do
        {
            // Each round its own seed, derived from the run's: the round's seed is what replays it.
            ulong seed = Mix((ulong)settings.Seed, (ulong)rounds);
            output.WriteLine($"{name}: FUZZ_SEED={settings.Seed} round {rounds} (FsCheck Rnd seed {seed}), {tests} tests");
            Config config = Config.QuickThrowOnFailure
                .WithMaxTest(tests)
                .WithEndSize(200)
                .WithQuietOnSuccess(true)
                .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(seed, 0x9E37_79B9_7F4A_7C15UL), FSharpOption<int>.None)));
            try
            {
                Check.One(name, config, Prop.ForAll(arbitrary, property));
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException(
                    $"{name} failed: FUZZ_SEED={settings.Seed} round {rounds}; replay with scripts/fuzz.sh --seed {settings.Seed} " +
                    $"(FsCheck's message below names the shrunk input as hex){Environment.NewLine}{e.Message}");
            }

            rounds++;
        }
        while (DateTime.UtcNow < deadline && rounds < 100_000);
        output.WriteLine($"{name}: {rounds} round(s) of {tests} passed");
    }

    private static ulong Mix(ulong seed, ulong round)
    {
        // SplitMix64: deterministic across processes (HashCode.Combine is not).
        ulong z = seed + (round + 1) * 0x9E37_79B9_7F4A_7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EBUL;
        return z ^ (z >> 31);
    }
}
