using System.Net;
using ActorAuth.Directory;
using ActorAuth.Hocon;
using Microsoft.Extensions.Configuration;
using DevRealmInstance = ActorAuth.DevRealm.DevRealm;

namespace ActorAuth.Server.Hosting;

/// <summary>
/// The <c>actorauth.directory</c> section: which directory the service registers its SPNs and publishes its
/// Service Connection Point in at start-up (<c>none</c>, the dev <c>realm</c>, or <c>ldap</c> for Active
/// Directory / Samba AD), and what it registers. See config/reference.conf for every key.
/// </summary>
public sealed record DirectoryConfiguration(DirectorySettings Settings, Func<IDirectoryBackend> CreateBackend, string BackendName)
{
    private const string Section = "actorauth:directory";

    /// <summary>Reads the section; null when <c>backend = none</c> (the default: no directory step).</summary>
    /// <exception cref="FormatException">A key is missing or malformed; the message names it.</exception>
    public static DirectoryConfiguration? From(IConfiguration configuration)
    {
        IConfigurationSection s = configuration.GetSection(Section);
        string backend = (s["backend"] ?? "none").ToLowerInvariant();
        if (backend == "none")
        {
            return null;
        }

        string guid = s["service-guid"] ?? throw Missing("service-guid");
        var settings = new DirectorySettings
        {
            ServiceClass = s["service-class"] ?? "actorauth",
            DnsHostName = s["host"] ?? "localhost",
            OtherDnsNames = s.GetSection("aliases").GetChildren().Select(c => c.Value).OfType<string>().ToArray(),
            Port = 0,
            ServiceGuid = Guid.TryParse(guid, out Guid g) ? g : throw new FormatException($"{Section}:service-guid: '{guid}' is not a GUID."),
            ProductName = s["product-name"] ?? "ActorAuth",
            Required = s.GetBoolean("required", true),
            Deadline = s.GetDuration("deadline", TimeSpan.FromSeconds(30)),
            InstanceName = InstanceName(s["instance-name"]),
            RemoveScpOnStop = s.GetBoolean("remove-scp-on-stop", false),
        };
        string account = s["account"] ?? "actorauth";
        return backend switch
        {
            "realm" => new DirectoryConfiguration(settings, () => RealmBackend(configuration, account), "realm"),
            "ldap" => new DirectoryConfiguration(settings, () => new LdapDirectoryBackend(LdapOptions(s.GetSection("ldap"), account)), "ldap"),
            _ => throw new FormatException($"{Section}:backend: '{backend}' is not one of: none, realm, ldap."),
        };
    }

    private static RealmDirectoryBackend RealmBackend(IConfiguration configuration, string account)
    {
        string directory = configuration["actorauth:realm:directory"] ?? ".actorauth/realm";
        DevRealmInstance realm = DevRealmInstance.Open(directory)
            ?? throw new DirectoryUnavailableException($"No dev realm in '{Path.GetFullPath(directory)}' (actorauth.realm.directory): run 'actorauth realm up'.");
        return new RealmDirectoryBackend(realm, account);
    }

    private static LdapDirectoryOptions LdapOptions(IConfigurationSection ldap, string account)
    {
        string bind = (ldap["bind"] ?? "kerberos").ToLowerInvariant();
        NetworkCredential? credential = null;
        if (bind == "simple")
        {
            string user = ldap["user"] ?? throw Missing("ldap:user");
            string passwordFile = ldap["password-file"] ?? throw Missing("ldap:password-file");
            credential = new NetworkCredential(user, File.ReadAllText(passwordFile).TrimEnd('\r', '\n'));
        }

        return new LdapDirectoryOptions
        {
            Server = ldap["server"] ?? "127.0.0.1",
            Port = int.TryParse(ldap["port"], out int port) ? port : 389,
            BaseDn = ldap["base-dn"] ?? throw Missing("ldap:base-dn"),
            AccountName = account,
            BindMode = bind switch
            {
                "simple" => LdapBindMode.Simple,
                "kerberos" => LdapBindMode.Kerberos,
                _ => throw new FormatException($"{Section}:ldap:bind: '{bind}' is not one of: kerberos, simple."),
            },
            Credential = credential,
            Transport = (ldap["transport"] ?? "plain").ToLowerInvariant() switch
            {
                "plain" => LdapTransport.Plain,
                "starttls" => LdapTransport.StartTls,
                "ldaps" => LdapTransport.Ldaps,
                var other => throw new FormatException($"{Section}:ldap:transport: '{other}' is not one of: plain, starttls, ldaps."),
            },
            ScpContainerDn = string.IsNullOrWhiteSpace(ldap["scp-container"]) ? null : ldap["scp-container"],
            Timeout = ldap.GetDuration("timeout", TimeSpan.FromSeconds(10)),
        };
    }

    /// <summary>Null (the port names the instance) or a name that fits in an SCP's CN and file name unescaped.</summary>
    private static string? InstanceName(string? name) =>
        string.IsNullOrWhiteSpace(name) ? null
        : name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_') ? name
        : throw new FormatException($"{Section}:instance-name: '{name}' may only contain letters, digits, '-', '.' and '_'.");

    private static FormatException Missing(string key) => new($"{Section}:{key} is required for this directory backend.");
}
