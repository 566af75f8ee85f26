using ActorAuth.Security;
using Microsoft.Extensions.Configuration;

namespace ActorAuth.Server.Hosting;

/// <summary>
/// The <c>actorauth.kerberos</c> section: paths MIT Kerberos reads from the environment. Each configured
/// path is put into the C environment at start-up (<see cref="KerberosEnvironment"/>); an unset one leaves
/// whatever was exported before the process started.
/// </summary>
public static class KerberosSettings
{
    private static readonly (string Key, string Variable, string Prefix)[] Keys =
    [
        ("config", "KRB5_CONFIG", ""),
        ("kdc-profile", "KRB5_KDC_PROFILE", ""),
        ("keytab", "KRB5_KTNAME", "FILE:"),
        ("ccache", "KRB5CCNAME", "FILE:"),
        // MIT's replay cache is one file per host by default; nodes of a cluster on one machine each keep their own, as on separate hosts.
        ("replay-cache", "KRB5RCACHENAME", "file2:"),
    ];

    /// <summary>The variables the configuration sets, by name.</summary>
    public static IReadOnlyDictionary<string, string> Variables(IConfiguration configuration)
    {
        IConfigurationSection section = configuration.GetSection("actorauth:kerberos");
        var variables = new Dictionary<string, string>();
        foreach ((string key, string variable, string prefix) in Keys)
        {
            string? value = section[key];
            if (!string.IsNullOrWhiteSpace(value))
            {
                // A value with a type (FILE:, MEMORY:, KEYRING:…) is MIT's to resolve; a bare path is made absolute.
                variables[variable] = value.Contains(':', StringComparison.Ordinal) ? value : prefix + Path.GetFullPath(value);
            }
        }

        return variables;
    }
}
