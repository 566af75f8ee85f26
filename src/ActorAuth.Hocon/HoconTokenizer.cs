using System.Globalization;
using System.Text;

namespace ActorAuth.Hocon;

/// <summary>Splits HOCON text into tokens, tracking line and column for error messages.</summary>
internal sealed class HoconTokenizer
{
    // Characters the spec forbids in unquoted strings; some are reserved for future syntax.
    private const string Forbidden = "$\"{}[]:=,+#`^?!@*&\\";

    private readonly string _text;
    private readonly string _source;
    private int _index;
    private int _line = 1;
    private int _column = 1;

    private HoconTokenizer(string text, string source)
    {
        _text = text;
        _source = source;
    }

    private HoconPosition Position => new(_source, _line, _column);

    private char Current => _index < _text.Length ? _text[_index] : '\0';

    /// <summary>Tokenizes <paramref name="text"/>; the last token is always <see cref="HoconTokenKind.EndOfFile"/>.</summary>
    public static List<HoconToken> Tokenize(string text, string source) => new HoconTokenizer(text, source).Run();

    /// <summary>HOCON whitespace: Unicode separators, ASCII control whitespace, the BOM and the file/group/record/unit separators.</summary>
    public static bool IsWhitespace(char c) => char.IsWhiteSpace(c) || c == '\uFEFF' || c is >= '\u001C' and <= '\u001F';

    private List<HoconToken> Run()
    {
        var tokens = new List<HoconToken>();
        while (true)
        {
            var position = Position;
            if (_index >= _text.Length)
            {
                tokens.Add(new HoconToken(HoconTokenKind.EndOfFile, string.Empty, position));
                return tokens;
            }

            var c = Current;
            if (c == '\n')
            {
                Advance();
                tokens.Add(new HoconToken(HoconTokenKind.Newline, "\n", position));
            }
            else if (IsWhitespace(c))
            {
                tokens.Add(new HoconToken(HoconTokenKind.Whitespace, ReadWhitespace(), position));
            }
            else if (c == '#' || StartsComment())
            {
                while (_index < _text.Length && Current != '\n')
                {
                    Advance();
                }
            }
            else
            {
                tokens.Add(ReadToken(c, position));
            }
        }
    }

    private HoconToken ReadToken(char c, HoconPosition position)
    {
        switch (c)
        {
            case '{': return Single(HoconTokenKind.OpenBrace, position);
            case '}': return Single(HoconTokenKind.CloseBrace, position);
            case '[': return Single(HoconTokenKind.OpenBracket, position);
            case ']': return Single(HoconTokenKind.CloseBracket, position);
            case ',': return Single(HoconTokenKind.Comma, position);
            case ':': return Single(HoconTokenKind.Colon, position);
            case '=': return Single(HoconTokenKind.Equals, position);
            case '"': return new HoconToken(HoconTokenKind.QuotedString, ReadQuoted(), position);
            case '+' when Peek(1) == '=':
                Advance();
                Advance();
                return new HoconToken(HoconTokenKind.PlusEquals, "+=", position);
            case '$' when Peek(1) == '{':
                return ReadSubstitution(position);
            default:
                if (Forbidden.Contains(c, StringComparison.Ordinal))
                {
                    throw new HoconException(position, $"the character '{c}' is not allowed outside quotes; put the value in double quotes, e.g. \"a{c}b\"");
                }

                return new HoconToken(HoconTokenKind.UnquotedText, ReadUnquoted(), position);
        }
    }

    private HoconToken Single(HoconTokenKind kind, HoconPosition position)
    {
        var text = Current.ToString();
        Advance();
        return new HoconToken(kind, text, position);
    }

    private bool StartsComment() => Current == '/' && Peek(1) == '/';

    private char Peek(int offset) => _index + offset < _text.Length ? _text[_index + offset] : '\0';

    private void Advance()
    {
        if (_text[_index] == '\n')
        {
            _line++;
            _column = 1;
        }
        else
        {
            _column++;
        }

        _index++;
    }

    private string ReadWhitespace()
    {
        var start = _index;
        while (_index < _text.Length && Current != '\n' && IsWhitespace(Current))
        {
            Advance();
        }

        return _text[start.._index];
    }

    private string ReadUnquoted()
    {
        var start = _index;
        while (_index < _text.Length && !IsWhitespace(Current) && !Forbidden.Contains(Current, StringComparison.Ordinal) && !StartsComment())
        {
            Advance();
        }

        return _text[start.._index];
    }

    private string ReadQuoted()
    {
        var start = Position;
        Advance();
        if (Current == '"' && Peek(1) == '"')
        {
            Advance();
            Advance();
            return ReadTripleQuoted(start);
        }

        var builder = new StringBuilder();
        while (true)
        {
            if (_index >= _text.Length)
            {
                throw new HoconException(start, "this quoted string is never closed; add the closing '\"'");
            }

            var c = Current;
            if (c == '"')
            {
                Advance();
                return builder.ToString();
            }

            if (c < ' ')
            {
                throw new HoconException(Position, "a quoted string cannot contain a line break or control character; close it with '\"' on the same line, use an escape such as \\n, or use a triple-quoted \"\"\"multi-line\"\"\" string");
            }

            if (c == '\\')
            {
                builder.Append(ReadEscape());
            }
            else
            {
                builder.Append(c);
                Advance();
            }
        }
    }

    private string ReadTripleQuoted(HoconPosition start)
    {
        var builder = new StringBuilder();
        while (true)
        {
            if (_index >= _text.Length)
            {
                throw new HoconException(start, "this triple-quoted string is never closed; add the closing \"\"\"");
            }

            if (Current == '"' && Peek(1) == '"' && Peek(2) == '"')
            {
                // Like Scala: any run of 3+ quotes closes the string and the extra quotes belong to it.
                var run = 0;
                while (Current == '"')
                {
                    run++;
                    Advance();
                }

                return builder.Append('"', run - 3).ToString();
            }

            builder.Append(Current);
            Advance();
        }
    }

    private string ReadEscape()
    {
        var position = Position;
        Advance();
        var c = Current;
        if (_index < _text.Length)
        {
            Advance();
        }

        switch (c)
        {
            case '"': return "\"";
            case '\\': return "\\";
            case '/': return "/";
            case 'b': return "\b";
            case 'f': return "\f";
            case 'n': return "\n";
            case 'r': return "\r";
            case 't': return "\t";
            case 'u':
                var hex = _index + 4 <= _text.Length ? _text.Substring(_index, 4) : string.Empty;
                if (!ushort.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                {
                    throw new HoconException(position, "a \\u escape needs exactly four hex digits, e.g. \\u00e9");
                }

                for (var i = 0; i < 4; i++)
                {
                    Advance();
                }

                return ((char)code).ToString();
            default:
                throw new HoconException(position, $"'\\{c}' is not a valid escape; use one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX");
        }
    }

    private HoconToken ReadSubstitution(HoconPosition start)
    {
        var startIndex = _index;
        Advance();
        Advance();
        var optional = Current == '?';
        if (optional)
        {
            Advance();
        }

        var pieces = new List<(string Text, bool Quoted)>();
        while (true)
        {
            var c = Current;
            if (_index >= _text.Length || c == '\n')
            {
                throw new HoconException(start, $"the substitution '{_text[startIndex.._index].TrimEnd()}' is not closed; expected '}}' on the same line");
            }

            if (c == '}')
            {
                Advance();
                break;
            }

            if (IsWhitespace(c))
            {
                pieces.Add((ReadWhitespace(), false));
            }
            else if (c == '"')
            {
                pieces.Add((ReadQuoted(), true));
            }
            else if (Forbidden.Contains(c, StringComparison.Ordinal) || StartsComment())
            {
                throw new HoconException(Position, $"the character '{c}' is not allowed in a substitution path; quote the key, e.g. ${{a.\"b{c}c\"}}");
            }
            else
            {
                pieces.Add((ReadUnquoted(), false));
            }
        }

        var text = _text[startIndex.._index];
        var trimmed = pieces.SkipWhile(IsBlank).Reverse().SkipWhile(IsBlank).Reverse().ToList();
        if (trimmed.Count == 0)
        {
            throw new HoconException(start, $"the substitution '{text}' names no path; write e.g. ${{some.setting}}");
        }

        return new HoconToken(HoconTokenKind.Substitution, text, start)
        {
            Path = HoconPath.FromPieces(trimmed, start),
            IsOptional = optional,
        };

        static bool IsBlank((string Text, bool Quoted) piece) => !piece.Quoted && piece.Text.All(IsWhitespace);
    }
}
