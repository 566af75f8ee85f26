namespace ActorAuth.Hocon;

/// <summary>A HOCON array.</summary>
public sealed class HoconArray : HoconValue
{
    internal HoconArray(IReadOnlyList<HoconValue> items, HoconPosition position)
        : base(position)
    {
        Items = items;
    }

    /// <summary>The elements, in order.</summary>
    public IReadOnlyList<HoconValue> Items { get; }

    /// <summary>Renders the array as compact JSON.</summary>
    public override string ToString() => "[" + string.Join(",", Items) + "]";
}
