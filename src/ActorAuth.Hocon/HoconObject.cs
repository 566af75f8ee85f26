namespace ActorAuth.Hocon;

/// <summary>A HOCON object: an ordered set of fields.</summary>
public sealed class HoconObject : HoconValue
{
    private readonly OrderedDictionary<string, HoconValue> _fields = new(StringComparer.Ordinal);

    internal HoconObject(HoconPosition position)
        : base(position)
    {
    }

    /// <summary>The fields in the order they were first defined.</summary>
    public IReadOnlyDictionary<string, HoconValue> Fields => _fields;

    /// <summary>
    /// Finds the value at a path expression such as <c>a.b."c.d"</c>, or <see langword="null"/> when absent.
    /// </summary>
    /// <exception cref="HoconException">The path expression is malformed.</exception>
    public HoconValue? Find(string path)
    {
        HoconValue current = this;
        foreach (var segment in HoconPath.Parse(path).Segments)
        {
            if (current is not HoconObject obj || !obj._fields.TryGetValue(segment, out var next))
            {
                return null;
            }

            current = next;
        }

        return current;
    }

    /// <summary>Renders the object as compact JSON with keys sorted, so equal trees render equally.</summary>
    public override string ToString() =>
        "{" + string.Join(",", _fields.OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => HoconScalar.Quote(f.Key) + ":" + f.Value)) + "}";

    internal void Set(string key, HoconValue value) => _fields[key] = value;
}
