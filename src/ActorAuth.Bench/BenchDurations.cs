using System.Globalization;

namespace ActorAuth.Bench;

/// <summary>Durations as the bench's options take them: <c>500ms</c>, <c>30s</c>, <c>2m</c>, <c>1h</c>, or plain seconds.</summary>
public static class BenchDurations
{
    /// <summary>Parses a duration.</summary>
    /// <exception cref="FormatException">Not a duration.</exception>
    public static TimeSpan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim();
        (string number, double scale) = t switch
        {
            _ when t.EndsWith("ms", StringComparison.OrdinalIgnoreCase) => (t[..^2], 0.001),
            _ when t.EndsWith('s') => (t[..^1], 1.0),
            _ when t.EndsWith('m') => (t[..^1], 60.0),
            _ when t.EndsWith('h') => (t[..^1], 3600.0),
            _ => (t, 1.0),
        };
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value >= 0
            ? TimeSpan.FromSeconds(value * scale)
            : throw new FormatException($"'{text}' is not a duration (e.g. 500ms, 30s, 2m).");
    }
}
