namespace ActorAuth.Hocon;

/// <summary>Parses HOCON durations such as <c>30s</c>, <c>5 minutes</c> or <c>250</c> (a bare number is milliseconds).</summary>
public static class HoconDuration
{
    // Nanoseconds per unit; the spec's unit names are case sensitive and lowercase.
    private static readonly Dictionary<string, decimal> Units = BuildUnits();

    /// <summary>Parses <paramref name="text"/>; values finer than TimeSpan's 100 ns tick are truncated.</summary>
    /// <exception cref="FormatException">The text is not a number with an optional known unit, or is out of range.</exception>
    public static TimeSpan Parse(string text)
    {
        var (number, unit) = HoconUnitValue.Split(text, "duration", "30s");
        if (!Units.TryGetValue(unit, out var nanoseconds))
        {
            throw new FormatException($"'{text}' is not a valid duration: unknown unit '{unit}'; use ns, us, ms, s, m, h or d (or their long forms such as 'seconds'), e.g. '30s'");
        }

        try
        {
            return TimeSpan.FromTicks(decimal.ToInt64(decimal.Truncate(number * nanoseconds / 100m)));
        }
        catch (OverflowException)
        {
            throw new FormatException($"'{text}' is too large for a duration");
        }
    }

    private static Dictionary<string, decimal> BuildUnits()
    {
        var units = new Dictionary<string, decimal>(StringComparer.Ordinal) { [""] = 1_000_000m };
        void Add(decimal nanoseconds, params string[] names)
        {
            foreach (var name in names)
            {
                units[name] = nanoseconds;
            }
        }

        Add(1m, "ns", "nano", "nanos", "nanosecond", "nanoseconds");
        Add(1_000m, "us", "micro", "micros", "microsecond", "microseconds");
        Add(1_000_000m, "ms", "milli", "millis", "millisecond", "milliseconds");
        Add(1_000_000_000m, "s", "second", "seconds");
        Add(60_000_000_000m, "m", "minute", "minutes");
        Add(3_600_000_000_000m, "h", "hour", "hours");
        Add(86_400_000_000_000m, "d", "day", "days");
        return units;
    }
}
