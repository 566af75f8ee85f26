namespace ActorAuth.Hocon;

/// <summary>An unresolved <c>${path}</c> or <c>${?path}</c>; exists only between parsing and resolution.</summary>
internal sealed class HoconSubstitution(HoconPath path, HoconPath? fallbackPath, bool isOptional, string text, HoconPosition position)
    : HoconValue(position)
{
    /// <summary>The absolute path to look up (re-rooted when written in an included file).</summary>
    public HoconPath Path { get; } = path;

    /// <summary>For substitutions in included files: the path as written, tried when <see cref="Path"/> is not found.</summary>
    public HoconPath? FallbackPath { get; } = fallbackPath;

    /// <summary>Whether it was written <c>${?...}</c>, making an undefined target silently absent.</summary>
    public bool IsOptional { get; } = isOptional;

    /// <summary>Set when this substitution is (part of) a field's value; enables self-reference look-back.</summary>
    public HoconSelfReference? SelfReference { get; set; }

    /// <summary>The substitution as written, for error messages.</summary>
    public override string ToString() => text;
}
