using System.Text.RegularExpressions;

namespace ActorAuth.Hocon;

/// <summary>
/// Turns tokens into a tree that may still contain substitutions, concatenations and merge stacks.
/// Duplicate keys, dotted keys, <c>+=</c> and includes are applied here; substitutions are left for the resolver.
/// </summary>
internal sealed partial class HoconParser
{
    private readonly List<HoconToken> _tokens;
    private readonly HoconIncluder _includer;
    private readonly IReadOnlyList<string> _includePrefix;
    private int _index;

    /// <param name="tokens">Tokens of one file or string.</param>
    /// <param name="includer">Loads files named by include statements in this text.</param>
    /// <param name="includePrefix">Where this text is included in the whole document; empty for the top-level text.</param>
    public HoconParser(List<HoconToken> tokens, HoconIncluder includer, IReadOnlyList<string> includePrefix)
    {
        _tokens = tokens;
        _includer = includer;
        _includePrefix = includePrefix;
    }

    private HoconToken Current => _tokens[_index];

    /// <summary>Parses a whole document, whose root must be an object (braces optional).</summary>
    public HoconObject ParseDocument()
    {
        SkipWhitespace(includingNewlines: true);
        HoconObject root;
        if (Current.Kind == HoconTokenKind.OpenBracket)
        {
            throw new HoconException(Current.Position, "the root of a configuration must be an object, but this file starts with '['; wrap it as key = [ ... ]");
        }

        if (Current.Kind == HoconTokenKind.OpenBrace)
        {
            var open = Current.Position;
            _index++;
            root = ParseObjectBody(_includePrefix, open, braced: true);
        }
        else
        {
            root = ParseObjectBody(_includePrefix, Current.Position, braced: false);
        }

        SkipWhitespace(includingNewlines: true);
        if (Current.Kind != HoconTokenKind.EndOfFile)
        {
            throw new HoconException(Current.Position, $"expected end of file after the closing '}}' of the root object but found {Current.Describe()}");
        }

        return root;
    }

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex JsonNumber();

    private HoconObject ParseObjectBody(IReadOnlyList<string> objectPath, HoconPosition open, bool braced)
    {
        var obj = new HoconObject(open);
        while (true)
        {
            SkipWhitespace(includingNewlines: true);
            var token = Current;
            switch (token.Kind)
            {
                case HoconTokenKind.CloseBrace when braced:
                    _index++;
                    return obj;
                case HoconTokenKind.CloseBrace:
                    throw new HoconException(token.Position, "found '}' without a matching '{'; remove it or add the opening brace");
                case HoconTokenKind.EndOfFile when braced:
                    throw new HoconException(token.Position, $"expected '}}' to close the object opened at line {open.Line}, column {open.Column}, but reached the end of the file");
                case HoconTokenKind.EndOfFile:
                    return obj;
                case HoconTokenKind.Comma:
                    throw new HoconException(token.Position, "expected a key but found ','; remove the extra comma");
            }

            if (token.Kind == HoconTokenKind.UnquotedText && token.Text == "include")
            {
                ParseInclude(obj, objectPath);
            }
            else
            {
                ParseField(obj, objectPath);
            }

            SkipWhitespace(includingNewlines: false);
            switch (Current.Kind)
            {
                case HoconTokenKind.Comma:
                    _index++;
                    SkipWhitespace(includingNewlines: true);
                    if (Current.Kind == HoconTokenKind.Comma)
                    {
                        throw new HoconException(Current.Position, "two commas in a row; remove one");
                    }

                    break;
                case HoconTokenKind.Newline:
                case HoconTokenKind.CloseBrace:
                case HoconTokenKind.EndOfFile:
                    break;
                default:
                    throw new HoconException(Current.Position, $"expected ',' or a new line after a field but found {Current.Describe()}");
            }
        }
    }

    private void ParseField(HoconObject obj, IReadOnlyList<string> objectPath)
    {
        var keyStart = Current.Position;
        var pieces = new List<(string Text, bool Quoted)>();
        while (Current.Kind is HoconTokenKind.UnquotedText or HoconTokenKind.QuotedString or HoconTokenKind.Whitespace)
        {
            pieces.Add((Current.Text, Current.Kind == HoconTokenKind.QuotedString));
            _index++;
        }

        if (Current.Kind == HoconTokenKind.Substitution)
        {
            throw new HoconException(Current.Position, "substitutions like ${...} are not allowed in keys; only in values");
        }

        while (pieces.Count > 0 && !pieces[^1].Quoted && pieces[^1].Text.All(HoconTokenizer.IsWhitespace))
        {
            pieces.RemoveAt(pieces.Count - 1);
        }

        if (pieces.Count == 0)
        {
            throw new HoconException(Current.Position, $"expected a key (or '}}') but found {Current.Describe()}");
        }

        var key = HoconPath.FromPieces(pieces, keyStart);
        var fieldPath = key.Prepend(objectPath).Segments;
        var separator = Current;
        HoconValue value;
        switch (separator.Kind)
        {
            case HoconTokenKind.Colon:
            case HoconTokenKind.Equals:
                _index++;
                value = ParseFieldValue(key, fieldPath);
                break;
            case HoconTokenKind.PlusEquals:
                _index++;
                // The spec defines `a += b` as `a = ${?a} [b]`.
                var appended = ParseFieldValue(key, fieldPath);
                var self = new HoconSubstitution(HoconPath.FromSegments(fieldPath), null, true, $"${{?{key}}}", separator.Position);
                value = new HoconConcatenation([self, new HoconArray([appended], appended.Position)], separator.Position);
                break;
            case HoconTokenKind.OpenBrace:
                value = ParseValue(fieldPath, key);
                break;
            default:
                throw new HoconException(separator.Position, $"expected ':', '=', '+=' or '{{' after the key '{key}' but found {separator.Describe()}");
        }

        MarkSelfReference(value, fieldPath);
        for (var i = key.Segments.Count - 1; i > 0; i--)
        {
            // `a.b.c = 1` is the same as `a { b { c = 1 } }`, so it merges like one.
            var nested = new HoconObject(keyStart);
            nested.Set(key.Segments[i], value);
            value = nested;
        }

        obj.Set(key.Segments[0], HoconMerge.Merge(obj.Fields.GetValueOrDefault(key.Segments[0]), value, linkSelfReferences: true));
    }

    private HoconValue ParseFieldValue(HoconPath key, IReadOnlyList<string> fieldPath)
    {
        SkipWhitespace(includingNewlines: true);
        return ParseValue(fieldPath, key);
    }

    private static void MarkSelfReference(HoconValue value, IReadOnlyList<string> fieldPath)
    {
        var substitutions = value switch
        {
            HoconSubstitution s => [s],
            HoconConcatenation c => c.Parts.OfType<HoconSubstitution>().ToList(),
            _ => [],
        };
        if (substitutions.Count == 0)
        {
            return;
        }

        var selfReference = new HoconSelfReference(fieldPath);
        foreach (var substitution in substitutions)
        {
            substitution.SelfReference = selfReference;
        }
    }

    /// <summary>Parses one value, or several on one line that concatenate.</summary>
    /// <param name="path">Path of the field (or array) holding the value; nested objects' fields live beneath it.</param>
    /// <param name="key">The key being defined, for error messages; null inside arrays.</param>
    private HoconValue ParseValue(IReadOnlyList<string> path, HoconPath? key)
    {
        var start = Current.Position;
        var parts = new List<HoconValue>();
        while (true)
        {
            var token = Current;
            switch (token.Kind)
            {
                case HoconTokenKind.Whitespace:
                    parts.Add(new HoconWhitespace(token.Text, token.Position));
                    break;
                case HoconTokenKind.QuotedString:
                    parts.Add(new HoconScalar(HoconScalarKind.String, token.Text, true, token.Position));
                    break;
                case HoconTokenKind.UnquotedText:
                    parts.Add(ScalarFromUnquoted(token));
                    break;
                case HoconTokenKind.Substitution:
                    var fallback = _includePrefix.Count > 0 ? token.Path : null;
                    parts.Add(new HoconSubstitution(token.Path!.Prepend(_includePrefix), fallback, token.IsOptional, token.Text, token.Position));
                    break;
                case HoconTokenKind.OpenBrace:
                    _index++;
                    parts.Add(ParseObjectBody(path, token.Position, braced: true));
                    continue;
                case HoconTokenKind.OpenBracket:
                    _index++;
                    parts.Add(ParseArray(path, token.Position));
                    continue;
                case HoconTokenKind.Colon:
                case HoconTokenKind.Equals:
                case HoconTokenKind.PlusEquals:
                    throw new HoconException(token.Position, $"unexpected '{token.Text}' in a value; quote values that contain it, e.g. \"a{token.Text}b\"");
                default:
                    while (parts.Count > 0 && parts[^1] is HoconWhitespace)
                    {
                        parts.RemoveAt(parts.Count - 1);
                    }

                    return parts.Count switch
                    {
                        0 => throw new HoconException(token.Position, key is null
                            ? $"expected an array element but found {token.Describe()}"
                            : $"expected a value for '{key}' but found {token.Describe()}"),
                        1 => parts[0],
                        _ => new HoconConcatenation(parts, start),
                    };
            }

            _index++;
        }
    }

    private static HoconScalar ScalarFromUnquoted(HoconToken token) => token.Text switch
    {
        "true" or "false" => new HoconScalar(HoconScalarKind.Boolean, token.Text, false, token.Position),
        "null" => new HoconScalar(HoconScalarKind.Null, token.Text, false, token.Position),
        _ when JsonNumber().IsMatch(token.Text) => new HoconScalar(HoconScalarKind.Number, token.Text, false, token.Position),
        _ => new HoconScalar(HoconScalarKind.String, token.Text, false, token.Position),
    };

    private HoconArray ParseArray(IReadOnlyList<string> path, HoconPosition open)
    {
        var items = new List<HoconValue>();
        while (true)
        {
            SkipWhitespace(includingNewlines: true);
            switch (Current.Kind)
            {
                case HoconTokenKind.CloseBracket:
                    _index++;
                    return new HoconArray(items, open);
                case HoconTokenKind.EndOfFile:
                    throw new HoconException(Current.Position, $"expected ']' to close the array opened at line {open.Line}, column {open.Column}, but reached the end of the file");
                case HoconTokenKind.Comma:
                    throw new HoconException(Current.Position, "expected an array element or ']' but found ','; remove the extra comma");
            }

            items.Add(ParseValue(path, null));
            SkipWhitespace(includingNewlines: false);
            switch (Current.Kind)
            {
                case HoconTokenKind.Comma:
                    _index++;
                    break;
                case HoconTokenKind.Newline:
                case HoconTokenKind.CloseBracket:
                case HoconTokenKind.EndOfFile:
                    break;
                default:
                    throw new HoconException(Current.Position, $"expected ',' or ']' after an array element but found {Current.Describe()}");
            }
        }
    }

    private void ParseInclude(HoconObject obj, IReadOnlyList<string> objectPath)
    {
        var position = Current.Position;
        _index++;
        SkipWhitespace(includingNewlines: true);

        // `file(` and `)` are plain unquoted text to the tokenizer, so the wrappers are matched textually.
        var argument = Current;
        var before = "";
        while (Current.Kind is HoconTokenKind.UnquotedText or HoconTokenKind.Whitespace)
        {
            before += Current.Kind == HoconTokenKind.UnquotedText ? Current.Text : "";
            _index++;
        }

        if (Current.Kind != HoconTokenKind.QuotedString)
        {
            throw new HoconException(argument.Position, $"expected a quoted file name after 'include' (e.g. include \"other.conf\" or include required(file(\"other.conf\"))) but found {argument.Describe()}");
        }

        var name = Current.Text;
        _index++;
        var after = "";
        while (Current.Kind == HoconTokenKind.Whitespace || (Current.Kind == HoconTokenKind.UnquotedText && Current.Text.All(c => c == ')')))
        {
            after += Current.Kind == HoconTokenKind.UnquotedText ? Current.Text : "";
            _index++;
        }

        var required = before is "required(" or "required(file(";
        var expectedClose = before switch
        {
            "" => "",
            "file(" or "required(" => ")",
            "required(file(" => "))",
            "url(" or "classpath(" or "required(url(" or "required(classpath(" =>
                throw new HoconException(position, $"include {before}...) is not supported; only files can be included, e.g. include file(\"{name}\")"),
            _ => throw new HoconException(position, $"unknown include form '{before}\"{name}\"'; use include \"file.conf\", include file(\"file.conf\") or include required(file(\"file.conf\"))"),
        };
        if (after != expectedClose)
        {
            throw new HoconException(Current.Position, $"expected '{expectedClose}' to close include {before}\"{name}\" but found '{after}'");
        }

        var included = _includer.Include(name, required, position, objectPath);
        foreach (var (fieldKey, fieldValue) in included.Fields)
        {
            obj.Set(fieldKey, HoconMerge.Merge(obj.Fields.GetValueOrDefault(fieldKey), fieldValue, linkSelfReferences: true));
        }
    }

    private void SkipWhitespace(bool includingNewlines)
    {
        while (Current.Kind == HoconTokenKind.Whitespace || (includingNewlines && Current.Kind == HoconTokenKind.Newline))
        {
            _index++;
        }
    }
}
