using Microsoft.Extensions.Configuration;

namespace ActorAuth.Hocon;

/// <summary>Loads a HOCON file into configuration keys such as <c>actorauth:server:port</c>.</summary>
/// <param name="source">The source describing the file.</param>
public sealed class HoconConfigurationProvider(HoconConfigurationSource source) : FileConfigurationProvider(source)
{
    /// <summary>Parses the file's content; includes resolve against the file's physical directory.</summary>
    /// <exception cref="HoconException">The file is invalid (the base class wraps it in an <see cref="InvalidDataException"/>).</exception>
    public override void Load(Stream stream)
    {
        var path = Source.Path ?? string.Empty;
        var physicalPath = Source.FileProvider?.GetFileInfo(path).PhysicalPath;
        using var reader = new StreamReader(stream);
        var root = Hocon.Parse(reader.ReadToEnd(), new HoconParseOptions
        {
            SourceName = physicalPath ?? path,
            BaseDirectory = physicalPath is null ? null : Path.GetDirectoryName(physicalPath),
            EnvironmentLookup = source.EnvironmentLookup ?? Environment.GetEnvironmentVariable,
        });
        Data = HoconConfigurationFlattener.Flatten(root);
    }
}
