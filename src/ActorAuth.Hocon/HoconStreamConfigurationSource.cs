using Microsoft.Extensions.Configuration;

namespace ActorAuth.Hocon;

/// <summary>HOCON text from a stream as an <see cref="IConfigurationSource"/>.</summary>
public sealed class HoconStreamConfigurationSource : StreamConfigurationSource
{
    /// <summary>Fallback for undefined substitutions; null means environment variables.</summary>
    public Func<string, string?>? EnvironmentLookup { get; set; }

    /// <summary>Builds the <see cref="HoconStreamConfigurationProvider"/> for this source.</summary>
    public override IConfigurationProvider Build(IConfigurationBuilder builder) => new HoconStreamConfigurationProvider(this);
}
