namespace ActorAuth.Hocon;

/// <summary>
/// Whitespace between two pieces of a value concatenation: kept in string concatenations
/// (<c>foo bar</c> is "foo bar") and ignored between arrays or objects.
/// </summary>
internal sealed class HoconWhitespace(string text, HoconPosition position) : HoconValue(position)
{
    /// <summary>The whitespace characters as written.</summary>
    public string Text { get; } = text;
}
