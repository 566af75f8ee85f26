using Microsoft.Extensions.Configuration;

namespace ActorAuth.Hocon;

/// <summary>Loads HOCON text from a stream. Relative includes are rejected because a stream has no directory.</summary>
/// <param name="source">The source holding the stream.</param>
public sealed class HoconStreamConfigurationProvider(HoconStreamConfigurationSource source) : StreamConfigurationProvider(source)
{
    /// <summary>Parses the stream's content.</summary>
    /// <exception cref="HoconException">The text is invalid.</exception>
    public override void Load(Stream stream)
    {
        using var reader = new StreamReader(stream);
        var root = Hocon.Parse(reader.ReadToEnd(), new HoconParseOptions
        {
            EnvironmentLookup = source.EnvironmentLookup ?? Environment.GetEnvironmentVariable,
        });
        Data = HoconConfigurationFlattener.Flatten(root);
    }
}
