namespace ActorAuth.Hocon;

/// <summary>The JSON type of a <see cref="HoconScalar"/>.</summary>
public enum HoconScalarKind
{
    /// <summary>A quoted, unquoted or concatenated string.</summary>
    String,

    /// <summary>A JSON number, kept as written.</summary>
    Number,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>The literal <c>null</c>.</summary>
    Null,
}
