using System.Text;

namespace ActorAuth.Hocon;

/// <summary>A parsed path expression (<c>a.b."c.d"</c>): the keys to walk from an object to a value.</summary>
internal sealed class HoconPath
{
    private HoconPath(IReadOnlyList<string> segments)
    {
        Segments = segments;
    }

    /// <summary>The keys, outermost first.</summary>
    public IReadOnlyList<string> Segments { get; }

    /// <summary>Wraps already-split keys.</summary>
    public static HoconPath FromSegments(IReadOnlyList<string> segments) => new(segments);

    /// <summary>
    /// Builds a path from the pieces of a key or substitution. Dots split only unquoted pieces,
    /// which is how the spec keeps <c>"a.b"</c> a single key.
    /// </summary>
    public static HoconPath FromPieces(IReadOnlyList<(string Text, bool Quoted)> pieces, HoconPosition position)
    {
        var segments = new List<string>();
        var current = new StringBuilder();
        var hasContent = false;
        foreach (var (text, quoted) in pieces)
        {
            if (quoted)
            {
                current.Append(text);
                hasContent = true;
                continue;
            }

            var parts = text.Split('.');
            for (var i = 0; i < parts.Length; i++)
            {
                if (i > 0)
                {
                    if (!hasContent)
                    {
                        throw EmptySegment(pieces, position);
                    }

                    segments.Add(current.ToString());
                    current.Clear();
                    hasContent = false;
                }

                if (parts[i].Length > 0)
                {
                    current.Append(parts[i]);
                    hasContent = true;
                }
            }
        }

        if (!hasContent)
        {
            throw EmptySegment(pieces, position);
        }

        segments.Add(current.ToString());
        return new HoconPath(segments);
    }

    /// <summary>Parses a path expression written as text, e.g. for lookups from code.</summary>
    public static HoconPath Parse(string expression)
    {
        var position = new HoconPosition("<path>", 1, 1);
        var pieces = new List<(string, bool)>();
        foreach (var token in HoconTokenizer.Tokenize(expression, "<path>"))
        {
            switch (token.Kind)
            {
                case HoconTokenKind.UnquotedText:
                case HoconTokenKind.Whitespace:
                    pieces.Add((token.Text, false));
                    break;
                case HoconTokenKind.QuotedString:
                    pieces.Add((token.Text, true));
                    break;
                case HoconTokenKind.EndOfFile:
                    break;
                default:
                    throw new HoconException(token.Position, $"{token.Describe()} is not allowed in the path '{expression}'; quote keys that contain special characters");
            }
        }

        return FromPieces(pieces, position);
    }

    /// <summary>Prepends <paramref name="prefix"/>, used to re-root paths from included files.</summary>
    public HoconPath Prepend(IReadOnlyList<string> prefix) => prefix.Count == 0 ? this : new HoconPath([.. prefix, .. Segments]);

    /// <summary>Whether this path equals <paramref name="prefix"/> or lies beneath it.</summary>
    public bool StartsWith(IReadOnlyList<string> prefix) =>
        prefix.Count <= Segments.Count && prefix.Select((s, i) => s == Segments[i]).All(x => x);

    /// <summary>The path with segments joined by '.', as environment variable names are matched.</summary>
    public string ToDottedString() => string.Join('.', Segments);

    /// <summary>Renders the path as a HOCON path expression, quoting segments that need it.</summary>
    public override string ToString() => string.Join('.', Segments.Select(s =>
        s.Length > 0 && s.All(c => char.IsLetterOrDigit(c) || c is '-' or '_') ? s : HoconScalar.Quote(s)));

    private static HoconException EmptySegment(IReadOnlyList<(string Text, bool Quoted)> pieces, HoconPosition position)
    {
        var written = string.Concat(pieces.Select(p => p.Quoted ? HoconScalar.Quote(p.Text) : p.Text));
        return new HoconException(position, $"the path '{written}' has an empty element (a leading, trailing or doubled '.'); write an empty key as \"\"");
    }
}
