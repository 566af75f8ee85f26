namespace ActorAuth.Hocon;

/// <summary>The kinds of lexical tokens in HOCON text.</summary>
internal enum HoconTokenKind
{
    OpenBrace,
    CloseBrace,
    OpenBracket,
    CloseBracket,
    Comma,
    Colon,
    Equals,
    PlusEquals,

    /// <summary>An ASCII newline; significant because it separates fields and ends concatenations.</summary>
    Newline,

    /// <summary>Non-newline whitespace; kept because concatenation preserves whitespace between values.</summary>
    Whitespace,
    QuotedString,
    UnquotedText,
    Substitution,
    EndOfFile,
}
