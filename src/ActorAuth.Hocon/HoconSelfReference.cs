namespace ActorAuth.Hocon;

/// <summary>
/// Ties a field value that contains substitutions to the field it defines, so that a substitution
/// pointing at that field (or beneath it) "looks back" at the earlier value instead of cycling,
/// as the spec's self-referential substitution rules require (<c>path = ${path} [/usr/bin]</c>).
/// </summary>
internal sealed class HoconSelfReference(IReadOnlyList<string> fieldPath)
{
    /// <summary>Full path of the field being defined.</summary>
    public IReadOnlyList<string> FieldPath { get; } = fieldPath;

    /// <summary>The value the field had before this definition, or null if this is the first one.</summary>
    public HoconValue? Previous { get; set; }
}
