namespace ActorAuth.Hocon;

/// <summary>
/// A HOCON document could not be parsed or resolved. The message starts with <c>file:line:column</c>
/// and says what was expected, so a user can fix the configuration from the message alone.
/// </summary>
public sealed class HoconException : Exception
{
    /// <summary>Creates an error located at <paramref name="position"/>.</summary>
    public HoconException(HoconPosition position, string message)
        : base($"{position}: {message}")
    {
        Position = position;
    }

    /// <summary>Where in the source the problem is.</summary>
    public HoconPosition Position { get; }
}
