namespace ActorAuth.Hocon;

/// <summary>One lexical token with its position.</summary>
/// <param name="Kind">What the token is.</param>
/// <param name="Text">The decoded text: string contents, unquoted text, whitespace, or the raw substitution.</param>
/// <param name="Position">Where the token starts.</param>
internal sealed record HoconToken(HoconTokenKind Kind, string Text, HoconPosition Position)
{
    /// <summary>For <see cref="HoconTokenKind.Substitution"/>: the referenced path.</summary>
    public HoconPath? Path { get; init; }

    /// <summary>For <see cref="HoconTokenKind.Substitution"/>: whether it was written <c>${?...}</c>.</summary>
    public bool IsOptional { get; init; }

    /// <summary>Describes the token for error messages ("found ...").</summary>
    public string Describe() => Kind switch
    {
        HoconTokenKind.Newline => "end of line",
        HoconTokenKind.EndOfFile => "end of file",
        HoconTokenKind.Whitespace => "whitespace",
        HoconTokenKind.QuotedString => $"the quoted string {HoconScalar.Quote(Text)}",
        _ => $"'{Text}'",
    };
}
