namespace ActorAuth.Hocon;

/// <summary>The spec's duplicate-key rules: objects merge, anything else replaces the earlier value.</summary>
internal static class HoconMerge
{
    /// <summary>
    /// Combines an earlier value with a later one for the same key. When either side still contains
    /// substitutions the decision is deferred to resolution via a <see cref="HoconMergeStack"/>.
    /// </summary>
    /// <param name="earlier">The existing value, or null if the key is new.</param>
    /// <param name="later">The new value.</param>
    /// <param name="linkSelfReferences">
    /// True while parsing: records <paramref name="earlier"/> as what a self-referential <paramref name="later"/> looks back to.
    /// False during resolution, where nodes may be shared and must not be mutated.
    /// </param>
    public static HoconValue Merge(HoconValue? earlier, HoconValue later, bool linkSelfReferences)
    {
        if (earlier is null)
        {
            return later;
        }

        if (later is HoconObject laterObject)
        {
            return earlier switch
            {
                HoconObject earlierObject => MergeObjects(earlierObject, laterObject, linkSelfReferences),
                _ when IsUnresolved(earlier) => Stack(earlier, later),
                _ => later,
            };
        }

        if (!IsUnresolved(later))
        {
            return later;
        }

        if (linkSelfReferences)
        {
            var selfReference = later switch
            {
                HoconSubstitution s => s.SelfReference,
                HoconConcatenation c => c.Parts.OfType<HoconSubstitution>().Select(s => s.SelfReference).FirstOrDefault(r => r is not null),
                _ => null,
            };
            selfReference?.Previous = earlier;
        }

        // Kept as a stack because an optional substitution that turns out undefined leaves the earlier value in place.
        return Stack(earlier, later);
    }

    /// <summary>Returns a new object with <paramref name="later"/>'s fields merged over <paramref name="earlier"/>'s.</summary>
    public static HoconObject MergeObjects(HoconObject earlier, HoconObject later, bool linkSelfReferences)
    {
        var result = new HoconObject(later.Position);
        foreach (var (key, value) in earlier.Fields)
        {
            result.Set(key, value);
        }

        foreach (var (key, value) in later.Fields)
        {
            result.Set(key, Merge(result.Fields.GetValueOrDefault(key), value, linkSelfReferences));
        }

        return result;
    }

    /// <summary>Whether the value still needs substitution resolution before its type is known.</summary>
    public static bool IsUnresolved(HoconValue value) => value is HoconSubstitution or HoconConcatenation or HoconMergeStack;

    private static HoconMergeStack Stack(HoconValue earlier, HoconValue later) =>
        new([.. Items(earlier), .. Items(later)]);

    private static IEnumerable<HoconValue> Items(HoconValue value) => value is HoconMergeStack stack ? stack.Items : [value];
}
