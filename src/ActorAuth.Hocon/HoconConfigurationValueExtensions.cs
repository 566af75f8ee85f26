using Microsoft.Extensions.Configuration;

namespace ActorAuth.Hocon;

/// <summary>Reads configuration values written in HOCON's duration, size and boolean formats.</summary>
public static class HoconConfigurationValueExtensions
{
    /// <summary>Reads a duration (<c>30s</c>, <c>5 minutes</c>, bare number = ms), or <paramref name="defaultValue"/> when unset or null.</summary>
    /// <exception cref="FormatException">The value is set but invalid; the message names the key and the value.</exception>
    public static TimeSpan GetDuration(this IConfiguration configuration, string key, TimeSpan defaultValue) =>
        Read(configuration, key, defaultValue, HoconDuration.Parse);

    /// <summary>Reads a size in bytes (<c>512K</c>, <c>10MB</c>, bare number = bytes), or <paramref name="defaultValue"/> when unset or null.</summary>
    /// <exception cref="FormatException">The value is set but invalid; the message names the key and the value.</exception>
    public static long GetByteSize(this IConfiguration configuration, string key, long defaultValue) =>
        Read(configuration, key, defaultValue, HoconSize.Parse);

    /// <summary>Reads a boolean (true/false, yes/no, on/off), or <paramref name="defaultValue"/> when unset or null.</summary>
    /// <exception cref="FormatException">The value is set but invalid; the message names the key and the value.</exception>
    public static bool GetBoolean(this IConfiguration configuration, string key, bool defaultValue) =>
        Read(configuration, key, defaultValue, HoconBoolean.Parse);

    private static T Read<T>(IConfiguration configuration, string key, T defaultValue, Func<string, T> parse)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration[key];
        if (value is null)
        {
            return defaultValue;
        }

        try
        {
            return parse(value);
        }
        catch (FormatException e)
        {
            var path = configuration is IConfigurationSection section ? ConfigurationPath.Combine(section.Path, key) : key;
            throw new FormatException($"configuration setting '{path}': {e.Message}", e);
        }
    }
}
