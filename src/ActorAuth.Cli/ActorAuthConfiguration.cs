using DevRealmInstance = ActorAuth.DevRealm.DevRealm;
using ActorAuth.Hocon;
using Microsoft.Extensions.Configuration;

namespace ActorAuth.Cli;

/// <summary>Loads the HOCON configuration and fills in the dev realm's Kerberos paths where nothing else names them.</summary>
internal static class ActorAuthConfiguration
{
    /// <summary>The configuration file read when <c>--config</c> is not given.</summary>
    public const string DefaultFile = "HOCON.conf";

    /// <summary>
    /// Reads <paramref name="file"/> (optional only when it is the default), applies <paramref name="overrides"/>
    /// (command-line options) on top, and points Kerberos at the dev realm where nothing else names its paths.
    /// </summary>
    public static IConfigurationRoot Load(string file, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        bool optional = file == DefaultFile;
        if (!optional && !File.Exists(file))
        {
            throw new FileNotFoundException($"Configuration file '{file}' not found.", file);
        }

        IConfigurationBuilder builder = new ConfigurationBuilder()
            .AddHoconFile(Path.GetFullPath(file), optional)
            .AddInMemoryCollection(overrides ?? new Dictionary<string, string?>());
        Dictionary<string, string?> devRealm = DevRealmKerberosPaths(builder.Build());
        return builder.AddInMemoryCollection(devRealm).Build();
    }

    /// <summary>The dev realm directory the configuration names (<c>actorauth.realm.directory</c>).</summary>
    public static string RealmDirectory(IConfiguration configuration) =>
        configuration["actorauth:realm:directory"] ?? CliOptions.DefaultRealmDirectory;

    /// <summary>
    /// When neither the environment nor the configuration names a keytab or krb5.conf, and a dev realm exists,
    /// returns the overrides that point the server at the dev realm; otherwise none. Exported variables win.
    /// </summary>
    private static Dictionary<string, string?> DevRealmKerberosPaths(IConfiguration configuration)
    {
        var overrides = new Dictionary<string, string?>();
        if (Environment.GetEnvironmentVariable("KRB5_CONFIG") is not null || configuration["actorauth:kerberos:config"] is not null)
        {
            return overrides;
        }

        if (DevRealmInstance.Open(RealmDirectory(configuration)) is not { } realm)
        {
            return overrides;
        }

        overrides["actorauth:kerberos:config"] = realm.Krb5ConfigPath;
        overrides["actorauth:kerberos:kdc-profile"] = realm.KdcProfilePath;
        if (Environment.GetEnvironmentVariable("KRB5_KTNAME") is null && configuration["actorauth:kerberos:keytab"] is null)
        {
            overrides["actorauth:kerberos:keytab"] = "FILE:" + realm.KeytabPath;
        }

        if (Environment.GetEnvironmentVariable("KRB5CCNAME") is null && configuration["actorauth:kerberos:ccache"] is null)
        {
            overrides["actorauth:kerberos:ccache"] = realm.CredentialCachePath;
        }

        return overrides;
    }
}
