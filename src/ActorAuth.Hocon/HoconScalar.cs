using System.Globalization;
using System.Text;

namespace ActorAuth.Hocon;

/// <summary>A simple (non-object, non-array) value. Numbers keep the spelling from the file, as the spec requires.</summary>
public sealed class HoconScalar : HoconValue
{
    internal HoconScalar(HoconScalarKind kind, string value, bool isQuoted, HoconPosition position)
        : base(position)
    {
        Kind = kind;
        Value = value;
        IsQuoted = isQuoted;
    }

    /// <summary>The JSON type of the value.</summary>
    public HoconScalarKind Kind { get; }

    /// <summary>The value as text: the string itself, the number as written, <c>true</c>/<c>false</c>, or <c>null</c>.</summary>
    public string Value { get; }

    /// <summary>Whether the value (or, for a concatenation, any piece of it) was written as a quoted string.</summary>
    public bool IsQuoted { get; }

    /// <summary>Renders the value as JSON.</summary>
    public override string ToString() => Kind == HoconScalarKind.String ? Quote(Value) : Value;

    internal static string Quote(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' => builder.Append("\\\""),
                '\\' => builder.Append("\\\\"),
                '\n' => builder.Append("\\n"),
                '\r' => builder.Append("\\r"),
                '\t' => builder.Append("\\t"),
                < ' ' => builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => builder.Append(c),
            };
        }

        return builder.Append('"').ToString();
    }
}
