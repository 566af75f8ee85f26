using System.Globalization;

namespace ActorAuth.Fuzz;

/// <summary>
/// How much to fuzz, from the environment (scripts/fuzz.sh sets these; the test suite runs the defaults):
/// <list type="bullet">
/// <item><c>FUZZ_SEED</c>: the seed of every generator (default <see cref="DefaultSeed"/>, so the suite is repeatable).</item>
/// <item><c>FUZZ_SECONDS</c>: a time budget for the whole run; 0 (default) runs the suite's fixed counts once.</item>
/// <item><c>FUZZ_CASE</c>: replays one network case by index (with the seed that printed it).</item>
/// </list>
/// Every loop is bounded by a count as well as by time.
/// </summary>
public sealed record FuzzSettings
{
    /// <summary>The suite's fixed seed.</summary>
    public const int DefaultSeed = 20261122;

    /// <summary>The seed of every generator and mutation.</summary>
    public int Seed { get; init; } = DefaultSeed;

    /// <summary>The time budget of a long run; zero for the suite's fixed counts.</summary>
    public TimeSpan Budget { get; init; }

    /// <summary>One network case to replay, or null for all.</summary>
    public int? ReplayCase { get; init; }

    /// <summary>True for a time-budgeted run (scripts/fuzz.sh).</summary>
    public bool IsLongRun => Budget > TimeSpan.Zero;

    /// <summary>The settings from the environment.</summary>
    public static FuzzSettings Current { get; } = FromEnvironment();

    /// <summary>The deadline of one part of the run that gets <paramref name="share"/> of the budget.</summary>
    public DateTime DeadlineFor(double share) => DateTime.UtcNow + (IsLongRun ? Budget * share : TimeSpan.Zero);

    private static FuzzSettings FromEnvironment()
    {
        var settings = new FuzzSettings();
        if (Environment.GetEnvironmentVariable("FUZZ_SEED") is { Length: > 0 } seed)
        {
            settings = settings with { Seed = int.Parse(seed, CultureInfo.InvariantCulture) };
        }

        if (Environment.GetEnvironmentVariable("FUZZ_SECONDS") is { Length: > 0 } seconds)
        {
            settings = settings with { Budget = TimeSpan.FromSeconds(Math.Clamp(int.Parse(seconds, CultureInfo.InvariantCulture), 0, 24 * 3600)) };
        }

        if (Environment.GetEnvironmentVariable("FUZZ_CASE") is { Length: > 0 } replay)
        {
            settings = settings with { ReplayCase = int.Parse(replay, CultureInfo.InvariantCulture) };
        }

        return settings;
    }
}
