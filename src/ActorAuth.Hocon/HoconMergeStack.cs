namespace ActorAuth.Hocon;

/// <summary>
/// Successive definitions of one field that cannot be merged until substitutions are resolved
/// (e.g. <c>a = {x:1}</c> then <c>a = ${b}</c>); later items override or merge onto earlier ones.
/// </summary>
internal sealed class HoconMergeStack(IReadOnlyList<HoconValue> items) : HoconValue(items[^1].Position)
{
    /// <summary>The definitions, oldest first.</summary>
    public IReadOnlyList<HoconValue> Items { get; } = items;
}
