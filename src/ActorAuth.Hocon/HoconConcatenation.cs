namespace ActorAuth.Hocon;

/// <summary>
/// Several values written side by side on one line (<c>foo bar</c>, <c>${a} [1]</c>, <c>{a:1} {b:2}</c>);
/// combined into a string, array or object once substitutions are known.
/// </summary>
internal sealed class HoconConcatenation(IReadOnlyList<HoconValue> parts, HoconPosition position) : HoconValue(position)
{
    /// <summary>The pieces in order, including <see cref="HoconWhitespace"/> between them.</summary>
    public IReadOnlyList<HoconValue> Parts { get; } = parts;
}
