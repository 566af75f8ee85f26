using Microsoft.Extensions.Configuration;

namespace ActorAuth.Hocon;

/// <summary>A HOCON file as an <see cref="IConfigurationSource"/>.</summary>
public sealed class HoconConfigurationSource : FileConfigurationSource
{
    /// <summary>Fallback for undefined substitutions; null means environment variables.</summary>
    public Func<string, string?>? EnvironmentLookup { get; set; }

    /// <summary>Builds the <see cref="HoconConfigurationProvider"/> for this source.</summary>
    public override IConfigurationProvider Build(IConfigurationBuilder builder)
    {
        EnsureDefaults(builder);
        return new HoconConfigurationProvider(this);
    }
}
