using System.CommandLine;

namespace ActorAuth.Cli;

/// <summary>Options more than one command takes.</summary>
internal static class CliOptions
{
    /// <summary>Where the dev realm lives unless the configuration says otherwise.</summary>
    public const string DefaultRealmDirectory = ".actorauth/realm";

    public static Option<string> Config() => new("--config")
    {
        Description = "HOCON configuration file (default: HOCON.conf in the current directory, if present).",
        DefaultValueFactory = _ => ActorAuthConfiguration.DefaultFile,
    };

    public static Option<string> RealmDirectory() => new("--dir")
    {
        Description = "Directory of the dev realm.",
        DefaultValueFactory = _ => DefaultRealmDirectory,
    };

    public static Option<string> Package() => new("--package")
    {
        Description = "Security package: Negotiate or Kerberos.",
        DefaultValueFactory = _ => "Negotiate",
    };
}
