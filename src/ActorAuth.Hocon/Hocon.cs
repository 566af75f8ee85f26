namespace ActorAuth.Hocon;

/// <summary>Entry points: parse HOCON text or a file into a fully resolved <see cref="HoconObject"/>.</summary>
public static class Hocon
{
    /// <summary>Parses and resolves HOCON text (includes, merges and substitutions applied).</summary>
    /// <exception cref="HoconException">The text is invalid; the message gives source, line and column.</exception>
    public static HoconObject Parse(string text, HoconParseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        options ??= new HoconParseOptions();
        var source = options.SourceName ?? "<string>";
        IReadOnlyList<string> chain = Path.IsPathRooted(source) ? [Path.GetFullPath(source)] : [];
        var includer = new HoconIncluder(options.BaseDirectory, chain);
        var tree = new HoconParser(HoconTokenizer.Tokenize(text, source), includer, []).ParseDocument();
        return HoconResolver.Resolve(tree, options.EnvironmentLookup);
    }

    /// <summary>Reads and parses a HOCON file; relative includes resolve against its directory.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="environmentLookup">Fallback for undefined substitutions; defaults to environment variables.</param>
    /// <exception cref="HoconException">The file is invalid.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static HoconObject ParseFile(string path, Func<string, string?>? environmentLookup = null)
    {
        var fullPath = Path.GetFullPath(path);
        return Parse(File.ReadAllText(fullPath), new HoconParseOptions
        {
            SourceName = fullPath,
            BaseDirectory = Path.GetDirectoryName(fullPath),
            EnvironmentLookup = environmentLookup ?? Environment.GetEnvironmentVariable,
        });
    }
}
