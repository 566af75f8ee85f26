namespace ActorAuth.Hocon;

/// <summary>Options for <see cref="Hocon.Parse(string, HoconParseOptions?)"/>.</summary>
public sealed class HoconParseOptions
{
    /// <summary>Name used in error messages; defaults to <c>&lt;string&gt;</c>.</summary>
    public string? SourceName { get; init; }

    /// <summary>Directory that relative includes are resolved against; without it, relative includes are an error.</summary>
    public string? BaseDirectory { get; init; }

    /// <summary>
    /// Looks up a substitution that is not defined in the document; defaults to
    /// <see cref="Environment.GetEnvironmentVariable(string)"/>. Tests inject a dictionary lookup.
    /// </summary>
    public Func<string, string?> EnvironmentLookup { get; init; } = Environment.GetEnvironmentVariable;
}
