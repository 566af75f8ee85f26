namespace ActorAuth.Hocon;

/// <summary>Parses the six boolean spellings the spec recommends: true/false, yes/no, on/off.</summary>
public static class HoconBoolean
{
    /// <summary>
    /// Parses <paramref name="text"/>, ignoring case and surrounding whitespace because values may also come
    /// from environment variables or the command line, where <c>True</c> is common.
    /// </summary>
    /// <exception cref="FormatException">The text is none of the six spellings.</exception>
    public static bool Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Trim().ToLowerInvariant() switch
        {
            "true" or "yes" or "on" => true,
            "false" or "no" or "off" => false,
            _ => throw new FormatException($"'{text}' is not a valid boolean; use true/false, yes/no or on/off"),
        };
    }
}
