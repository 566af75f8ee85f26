using System.CommandLine;
using System.DirectoryServices.Protocols;
using ActorAuth.Directory;
using ActorAuth.Security;
using ActorAuth.Server.Hosting;
using Microsoft.Extensions.Configuration;
using DevRealmInstance = ActorAuth.DevRealm.DevRealm;

namespace ActorAuth.Cli;

/// <summary>
/// The options that choose the directory for <c>spn add|list|remove</c>, <c>scp …</c> and <c>client --discover</c>:
/// the dev realm (default) or Active Directory / Samba AD over LDAP, bound with the process's Kerberos credentials or,
/// with <c>--bind-user</c>, a simple bind. The LDAP server's options carry an <c>ldap-</c> prefix because <c>--port</c>
/// already means the service's port in <c>scp publish</c> and <c>client</c>. One instance per command.
/// </summary>
internal sealed class DirectoryCliOptions
{
    private readonly Option<string> _backend = new("--backend")
    {
        Description = "Directory: realm (the dev realm's store) or ldap (Active Directory / Samba AD).",
        DefaultValueFactory = _ => "realm",
    };

    private readonly Option<string?> _realmDirectory = new("--realm-dir")
    {
        Description = "The dev realm's directory (default: actorauth.realm.directory from the configuration, else .actorauth/realm).",
    };

    private readonly Option<string> _account = new("--account")
    {
        Description = "The service account: for realm, the logical owner of the SPNs; for ldap, its sAMAccountName.",
        DefaultValueFactory = _ => "actorauth",
    };

    private readonly Option<string?> _ldapServer = new("--ldap-server") { Description = "ldap: the domain controller's host name or address." };
    private readonly Option<int?> _ldapPort = new("--ldap-port") { Description = "ldap: the LDAP port (default 389, or 636 with --ldaps)." };
    private readonly Option<string?> _baseDn = new("--base-dn") { Description = "ldap: the domain's DN, e.g. DC=corp,DC=example." };
    private readonly Option<string?> _bindUser = new("--bind-user") { Description = "ldap: simple bind as this UPN or DN (with --bind-password-file); without it, a Kerberos bind with the ticket cache." };
    private readonly Option<FileInfo?> _bindPasswordFile = new("--bind-password-file") { Description = "ldap: file holding the bind user's password." };
    private readonly Option<bool> _startTls = new("--starttls") { Description = "ldap: upgrade the connection with StartTLS before binding." };
    private readonly Option<bool> _ldaps = new("--ldaps") { Description = "ldap: LDAP over TLS (port 636 by default)." };

    /// <summary>
    /// Adds the directory options to <paramref name="command"/>, and a <c>--config</c> unless it has one already
    /// (<paramref name="config"/>): the configuration names the dev realm and the Kerberos paths.
    /// </summary>
    public DirectoryCliOptions(Command command, Option<string>? config = null)
    {
        _backend.AcceptOnlyFromAmong("realm", "ldap");
        Config = config ?? CliOptions.Config();
        foreach (Option option in new Option[] { _backend, _realmDirectory, _account, _ldapServer, _ldapPort, _baseDn, _bindUser, _bindPasswordFile, _startTls, _ldaps, Config }
            .Where(option => !command.Options.Contains(option)))
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The command's <c>--config</c> option.</summary>
    public Option<string> Config { get; }

    /// <summary>
    /// Loads the configuration (<c>--realm-dir</c> standing for <c>actorauth.realm.directory</c>) and applies its Kerberos
    /// paths (the dev realm's where nothing else names them) before any GSSAPI use, as MIT reads them once.
    /// </summary>
    public IConfiguration ApplyKerberos(ParseResult parse)
    {
        Dictionary<string, string?>? overrides = parse.GetValue(_realmDirectory) is string directory
            ? new() { ["actorauth:realm:directory"] = directory }
            : null;
        IConfigurationRoot configuration = ActorAuthConfiguration.Load(parse.GetValue(Config)!, overrides);
        KerberosEnvironment.Apply(KerberosSettings.Variables(configuration));
        return configuration;
    }

    /// <summary>The backend the options choose, acting for <c>--account</c>.</summary>
    /// <exception cref="ArgumentException">An LDAP option is missing or contradicts another.</exception>
    /// <exception cref="DirectoryUnavailableException">The dev realm does not exist.</exception>
    public IDirectoryBackend CreateBackend(ParseResult parse, IConfiguration configuration)
    {
        string account = parse.GetValue(_account)!;
        if (parse.GetValue(_backend) == "ldap")
        {
            return new LdapDirectoryBackend(LdapOptions(parse, account));
        }

        string directory = ActorAuthConfiguration.RealmDirectory(configuration);
        DevRealmInstance realm = DevRealmInstance.Open(directory)
            ?? throw new DirectoryUnavailableException($"No dev realm in '{Path.GetFullPath(directory)}': run 'actorauth realm up' or give --realm-dir.");
        return new RealmDirectoryBackend(realm, account);
    }

    /// <summary><see cref="ApplyKerberos"/>, then <see cref="CreateBackend"/>.</summary>
    public IDirectoryBackend Open(ParseResult parse) => CreateBackend(parse, ApplyKerberos(parse));

    /// <summary>A port option's value, checked: System.CommandLine's own error for a ushort is several lines of help.</summary>
    /// <exception cref="ArgumentException">Outside <paramref name="minimum"/>–65535.</exception>
    public static ushort Port(int value, string option, int minimum = 0) =>
        value >= minimum && value <= ushort.MaxValue
            ? (ushort)value
            : throw new ArgumentException($"{option} {value} is outside {minimum}–{ushort.MaxValue}.");

    /// <summary>
    /// Runs a directory command: exit 0, or one line on stderr naming the command and the reason, exit 1. Only failures
    /// an operator can act on are caught (bad input, an unreachable or refusing directory); anything else is a bug and
    /// keeps its stack trace.
    /// </summary>
    public static async Task<int> RunAsync(string name, Func<Task> action)
    {
        try
        {
            await action();
            return 0;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or IOException or UnauthorizedAccessException
            or SpnConflictException or DirectoryUnavailableException or DirectoryException)
        {
            await Console.Error.WriteLineAsync($"actorauth {name}: {e.Message}");
            return 1;
        }
    }

    private LdapDirectoryOptions LdapOptions(ParseResult parse, string account)
    {
        bool ldaps = parse.GetValue(_ldaps);
        if (ldaps && parse.GetValue(_startTls))
        {
            throw new ArgumentException("--starttls and --ldaps exclude each other.");
        }

        var credential = ClientCommand.Credential(parse.GetValue(_bindUser), parse.GetValue(_bindPasswordFile), "--bind-user", "--bind-password-file");
        return new LdapDirectoryOptions
        {
            Server = parse.GetValue(_ldapServer) ?? throw new ArgumentException("--backend ldap needs --ldap-server."),
            Port = parse.GetValue(_ldapPort) ?? (ldaps ? 636 : 389),
            BaseDn = parse.GetValue(_baseDn) ?? throw new ArgumentException("--backend ldap needs --base-dn (e.g. DC=corp,DC=example)."),
            AccountName = account,
            BindMode = credential is null ? LdapBindMode.Kerberos : LdapBindMode.Simple,
            Credential = credential,
            Transport = ldaps ? LdapTransport.Ldaps : parse.GetValue(_startTls) ? LdapTransport.StartTls : LdapTransport.Plain,
        };
    }
}
