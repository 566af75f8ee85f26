using System.Text;
using Microsoft.Extensions.Configuration;

namespace ActorAuth.Hocon;

/// <summary>Adds HOCON sources to an <see cref="IConfigurationBuilder"/>.</summary>
public static class HoconConfigurationExtensions
{
    /// <summary>Adds a HOCON file. A relative path resolves against the builder's base path.</summary>
    /// <param name="builder">The builder to add to.</param>
    /// <param name="path">The file path.</param>
    /// <param name="optional">Whether a missing file is allowed.</param>
    public static IConfigurationBuilder AddHoconFile(this IConfigurationBuilder builder, string path, bool optional = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return builder.AddHoconFile(source =>
        {
            source.Path = path;
            source.Optional = optional;
            source.ResolveFileProvider();
        });
    }

    /// <summary>Adds a HOCON file configured by <paramref name="configure"/> (e.g. to set reload or an environment lookup).</summary>
    /// <param name="builder">The builder to add to.</param>
    /// <param name="configure">Sets up the source.</param>
    public static IConfigurationBuilder AddHoconFile(this IConfigurationBuilder builder, Action<HoconConfigurationSource> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(configure);
    }

    /// <summary>Adds HOCON read from a stream. The stream is read once, when the configuration is built.</summary>
    /// <param name="builder">The builder to add to.</param>
    /// <param name="stream">UTF-8 HOCON text.</param>
    public static IConfigurationBuilder AddHoconStream(this IConfigurationBuilder builder, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add<HoconStreamConfigurationSource>(source => source.Stream = stream);
    }

    /// <summary>Adds HOCON given as a string, e.g. built-in defaults or test fixtures.</summary>
    /// <param name="builder">The builder to add to.</param>
    /// <param name="text">The HOCON text.</param>
    public static IConfigurationBuilder AddHoconString(this IConfigurationBuilder builder, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return builder.AddHoconStream(new MemoryStream(Encoding.UTF8.GetBytes(text)));
    }
}
