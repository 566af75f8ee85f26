namespace ActorAuth.Hocon;

/// <summary>A node of a HOCON tree: <see cref="HoconObject"/>, <see cref="HoconArray"/> or <see cref="HoconScalar"/>.</summary>
public abstract class HoconValue
{
    // Only this assembly may add node kinds; the resolver relies on knowing all of them.
    private protected HoconValue(HoconPosition position)
    {
        Position = position;
    }

    /// <summary>Where the value was written.</summary>
    public HoconPosition Position { get; }
}
