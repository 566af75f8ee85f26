namespace ActorAuth.Hocon;

/// <summary>
/// Loads files named by <c>include</c> statements, relative to the including file's directory
/// (never the process's current directory, per the spec).
/// </summary>
internal sealed class HoconIncluder
{
    private readonly string? _baseDirectory;
    private readonly IReadOnlyList<string> _chain;

    /// <param name="baseDirectory">Directory of the including file; null for text that has no file.</param>
    /// <param name="chain">Full paths of the files currently being parsed, to detect include cycles.</param>
    public HoconIncluder(string? baseDirectory, IReadOnlyList<string> chain)
    {
        _baseDirectory = baseDirectory;
        _chain = chain;
    }

    /// <summary>
    /// Parses the named file(s) as an object whose paths live beneath <paramref name="prefix"/>.
    /// A missing file yields an empty object unless <paramref name="required"/>.
    /// </summary>
    public HoconObject Include(string name, bool required, HoconPosition position, IReadOnlyList<string> prefix)
    {
        if (name.Contains("://", StringComparison.Ordinal))
        {
            throw new HoconException(position, $"including URLs is not supported ('{name}'); include a local file instead");
        }

        if (!Path.IsPathRooted(name) && _baseDirectory is null)
        {
            throw new HoconException(position, $"cannot include the relative path '{name}' from text that was not loaded from a file; use an absolute path or load the configuration with AddHoconFile");
        }

        var fullPath = Path.GetFullPath(Path.IsPathRooted(name) ? name : Path.Combine(_baseDirectory!, name));

        // Per the spec, a name without extension means "every supported format", merged with HOCON last.
        string[] candidates = Path.HasExtension(fullPath) ? [fullPath] : [fullPath + ".json", fullPath + ".conf"];
        var existing = candidates.Where(File.Exists).ToList();
        if (existing.Count == 0)
        {
            return required
                ? throw new HoconException(position, $"required include '{name}' was not found (looked for {string.Join(" and ", candidates)})")
                : new HoconObject(position);
        }

        var result = new HoconObject(position);
        foreach (var file in existing)
        {
            result = HoconMerge.MergeObjects(result, Parse(file, position, prefix), linkSelfReferences: true);
        }

        return result;
    }

    private HoconObject Parse(string file, HoconPosition position, IReadOnlyList<string> prefix)
    {
        if (_chain.Contains(file, StringComparer.Ordinal))
        {
            throw new HoconException(position, $"include cycle: {string.Join(" -> ", _chain)} -> {file}; remove one of these includes");
        }

        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HoconException(position, $"could not read included file '{file}': {e.Message}");
        }

        var includer = new HoconIncluder(Path.GetDirectoryName(file), [.. _chain, file]);
        return new HoconParser(HoconTokenizer.Tokenize(text, file), includer, prefix).ParseDocument();
    }
}
