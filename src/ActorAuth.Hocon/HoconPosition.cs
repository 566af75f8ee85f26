namespace ActorAuth.Hocon;

/// <summary>A location in HOCON source text, used to point users at the exact spot to fix.</summary>
/// <param name="Source">The file path, or a descriptive name such as <c>&lt;string&gt;</c> for in-memory text.</param>
/// <param name="Line">One-based line number.</param>
/// <param name="Column">One-based column number.</param>
public readonly record struct HoconPosition(string Source, int Line, int Column)
{
    /// <summary>Formats the position as <c>source:line:column</c>, the convention editors and compilers use.</summary>
    public override string ToString() => $"{Source}:{Line}:{Column}";
}
