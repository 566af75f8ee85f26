using System.Security.Cryptography;
using System.Text;

namespace ActorAuth.DevRealm;

/// <summary>
/// A throwaway MIT Kerberos realm on 127.0.0.1 for the demo, the CLI and the integration tests.
/// Everything lives in <see cref="Directory"/>: krb5.conf, kdc.conf, the principal database and stash,
/// the service keytab, one <c>&lt;user&gt;.password</c> file per user, the KDC log and its pid file.
/// Nothing outside the directory is read or written (no /etc/krb5.conf, no /var/lib/krb5kdc), except
/// MIT's default replay cache in /var/tmp. Linux only; needs krb5-kdc, krb5-admin-server and krb5-user.
/// Instances are cheap descriptions of the directory; the KDC itself is a daemon found through its pid file.
/// Concurrent <see cref="UpAsync"/> calls on the same directory are not supported.
/// </summary>
public sealed class DevRealm
{
    private const string PasswordSuffix = ".password";
    private const string PasswordAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private DevRealm(string directory, string realmName, int kdcPort)
    {
        Directory = directory;
        RealmName = realmName;
        KdcPort = kdcPort;
        Environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["KRB5_CONFIG"] = Krb5ConfigPath,
            ["KRB5_KDC_PROFILE"] = KdcProfilePath,
            ["KRB5_KTNAME"] = "FILE:" + KeytabPath,
            ["KRB5CCNAME"] = CredentialCachePath,
        };
    }

    /// <summary>The absolute directory that holds the whole realm.</summary>
    public string Directory { get; }

    /// <summary>The realm name, for example <c>ACTORAUTH.TEST</c>.</summary>
    public string RealmName { get; }

    /// <summary>The TCP (and UDP) port the KDC listens on at 127.0.0.1; may change when a stopped KDC is restarted.</summary>
    public int KdcPort { get; }

    /// <summary>The client profile; export as <c>KRB5_CONFIG</c> so GSSAPI and the krb5 tools find the realm.</summary>
    public string Krb5ConfigPath => Path.Combine(Directory, RealmConfigFiles.Krb5ConfName);

    /// <summary>The KDC profile; export as <c>KRB5_KDC_PROFILE</c> for krb5kdc and kadmin.local.</summary>
    public string KdcProfilePath => Path.Combine(Directory, RealmConfigFiles.KdcConfName);

    /// <summary>The keytab with the keys of every service principal; export as <c>KRB5_KTNAME=FILE:…</c> for acceptors.</summary>
    public string KeytabPath => Path.Combine(Directory, "service.keytab");

    /// <summary>The realm's credential cache name (<c>FILE:&lt;dir&gt;/ccache</c>), filled by <see cref="KinitAsync"/>.</summary>
    public string CredentialCachePath => "FILE:" + Path.Combine(Directory, "ccache");

    /// <summary>
    /// The variables a process needs to use this realm: <c>KRB5_CONFIG</c>, <c>KRB5_KDC_PROFILE</c>,
    /// <c>KRB5_KTNAME</c> and <c>KRB5CCNAME</c>. MIT reads them with getenv, so they must be in a process's
    /// environment when it starts (a child's ProcessStartInfo.Environment or a shell export), not set later in-process.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>True while the KDC named by the pid file is alive.</summary>
    public bool IsKdcRunning => KdcProcess.IsRunning(Directory);

    /// <summary>
    /// Creates, restarts or reuses the realm in <see cref="RealmOptions.Directory"/> and returns it with the KDC running.
    /// Idempotent: a live KDC is reused (same port, same passwords); a stopped one is restarted on a new free port
    /// with its principals intact; otherwise the realm is created from scratch. In every case the service
    /// principals and users named in <paramref name="options"/> are ensured to exist.
    /// </summary>
    /// <exception cref="DevRealmException">A tool is missing or failed, the KDC did not start, or the directory holds another realm.</exception>
    public static async Task<DevRealm> UpAsync(RealmOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        var directory = options.Directory;

        DevRealm realm;
        if (Open(directory) is { } existing)
        {
            if (existing.RealmName != options.RealmName)
            {
                throw new DevRealmException(
                    $"{directory} already holds realm {existing.RealmName}, not {options.RealmName}; run realm down and delete the directory first.");
            }

            realm = existing.IsKdcRunning ? existing : await RestartAsync(existing, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            realm = await CreateAsync(directory, options.RealmName, cancellationToken).ConfigureAwait(false);
        }

        foreach (var principal in options.ServicePrincipals)
        {
            await realm.AddServicePrincipalAsync(principal, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        foreach (var user in options.Users)
        {
            await realm.AddUserAsync(user, cancellationToken).ConfigureAwait(false);
        }

        return realm;
    }

    /// <summary>
    /// Stops the realm's KDC in <paramref name="directory"/> (SIGTERM to the pid in its pid file, bounded wait)
    /// and removes the pid file. Leaves the realm's files in place, so a later <see cref="UpAsync"/> restarts it.
    /// No error when the KDC is not running or the directory does not exist.
    /// </summary>
    public static Task DownAsync(string directory, CancellationToken cancellationToken = default) =>
        KdcProcess.StopAsync(Path.GetFullPath(directory), cancellationToken);

    /// <summary>
    /// Describes the realm already in <paramref name="directory"/> without starting anything;
    /// null when the directory holds no (complete) realm. The KDC may or may not be running: see <see cref="IsKdcRunning"/>.
    /// </summary>
    /// <exception cref="DevRealmException">The realm's krb5.conf no longer names its realm and KDC port.</exception>
    public static DevRealm? Open(string directory)
    {
        var fullPath = Path.GetFullPath(directory);
        if (!RealmConfigFiles.RealmExists(fullPath))
        {
            return null;
        }

        var (realmName, port) = RealmConfigFiles.Read(fullPath);
        return new DevRealm(fullPath, realmName, port);
    }

    /// <summary>The fully qualified principal of <paramref name="user"/>, for example <c>alice@ACTORAUTH.TEST</c>.</summary>
    public string PrincipalOf(string user) => Qualify(user);

    /// <summary>Reads the password of <paramref name="user"/> from <c>&lt;user&gt;.password</c> (no trailing newline).</summary>
    /// <exception cref="DevRealmException">The realm has no password file for that user.</exception>
    public string PasswordOf(string user)
    {
        var path = PasswordPath(user);
        return File.Exists(path) ? File.ReadAllText(path) : throw new DevRealmException($"Realm {RealmName} has no password file for {user} ({path}).");
    }

    /// <summary>
    /// Shell lines <c>export NAME='value'</c> for every variable in <see cref="Environment"/>, single-quoted so
    /// any path is safe to <c>eval</c>; one per line, each ending in a newline.
    /// </summary>
    public string ExportLines()
    {
        var builder = new StringBuilder();
        foreach (var name in new[] { "KRB5_CONFIG", "KRB5_KDC_PROFILE", "KRB5_KTNAME", "KRB5CCNAME" })
        {
            builder.Append("export ").Append(name).Append("='")
                .Append(Environment[name].Replace("'", "'\\''", StringComparison.Ordinal)).Append("'\n");
        }

        return builder.ToString();
    }

    /// <summary>
    /// Ensures the service principal exists (random key) and its current keys are in <paramref name="keytabPath"/>
    /// (the service keytab, <see cref="KeytabPath"/>, by default). Usable at once: the KDC reads the database per
    /// request and acceptors read the keytab per context. Idempotent: an existing principal keeps its key
    /// (exported with -norandkey), so tickets already issued stay valid.
    /// </summary>
    /// <param name="principal">For example <c>actorauth/localhost</c>; the realm is appended when missing.</param>
    /// <param name="keytabPath">Another keytab to hold the keys, e.g. for a principal the service must not have keys for.</param>
    /// <param name="cancellationToken">Cancels the kadmin.local calls.</param>
    public Task AddServicePrincipalAsync(string principal, string? keytabPath = null, CancellationToken cancellationToken = default) =>
        AddServicePrincipalAsync(principal, keytabPath, enctypes: null, cancellationToken);

    /// <summary>
    /// As <see cref="AddServicePrincipalAsync(string, string?, CancellationToken)"/>, but a new principal gets
    /// keys of <paramref name="enctypes"/> only, and its tickets' session keys are of those enctypes too (the
    /// principal's <c>session_enctypes</c> attribute, set every time): without it the KDC assumes every service
    /// can use aes256-cts-hmac-sha1-96 and picks that whenever the client offers it first. An existing principal
    /// keeps the keys it has.
    /// </summary>
    /// <param name="principal">For example <c>aes128-sha2/localhost</c>; the realm is appended when missing.</param>
    /// <param name="keytabPath">The keytab to hold the keys; <see cref="KeytabPath"/> when null.</param>
    /// <param name="enctypes">
    /// kadmin's key/salt list (<c>addprinc -e</c>), e.g. <c>aes128-cts-hmac-sha256-128:normal</c>, space-separated
    /// for several. Null: the realm's supported enctypes, and no session_enctypes attribute.
    /// </param>
    /// <param name="cancellationToken">Cancels the kadmin.local calls.</param>
    public async Task AddServicePrincipalAsync(string principal, string? keytabPath, string? enctypes, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(principal);
        var qualified = Qualify(principal);
        keytabPath ??= KeytabPath;
        if (!(await ListPrincipalsAsync(cancellationToken).ConfigureAwait(false)).Contains(qualified))
        {
            string[] keys = enctypes is null ? [] : ["-e", enctypes];
            await KadminAsync(["addprinc", "-randkey", .. keys, qualified], [], cancellationToken).ConfigureAwait(false);
        }

        if (enctypes is not null)
        {
            // session_enctypes takes enctypes without salts, comma- or space-separated.
            var sessionEnctypes = string.Join(',', enctypes.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries).Select(keySalt => keySalt.Split(':')[0]));
            await KadminAsync(["setstr", qualified, "session_enctypes", sessionEnctypes], [], cancellationToken).ConfigureAwait(false);
        }

        // -norandkey exports every key the principal has (kadmin refuses it with -e), so a principal made with
        // one enctype lands in the keytab with that enctype only.
        if (!(await KeytabPrincipalsAsync(keytabPath, cancellationToken).ConfigureAwait(false)).Contains(qualified))
        {
            await KadminAsync(["ktadd", "-k", keytabPath, "-norandkey", qualified], [], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Rotates a service principal's key as an administrator would: a new random key with the next key version
    /// number, appended to the service keytab (ktadd without -norandkey), where the old keys stay. Tickets
    /// issued before keep working while their key is in the keytab; new tickets use the new key.
    /// </summary>
    /// <returns>The key version number now current.</returns>
    public async Task<int> RotateServiceKeyAsync(string principal, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(principal);
        var output = await KadminAsync(["ktadd", "-k", KeytabPath, Qualify(principal)], [], cancellationToken).ConfigureAwait(false);
        var match = System.Text.RegularExpressions.Regex.Match(output.StandardOutput + output.StandardError, @"kvno (\d+)");
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : throw new DevRealmException($"kadmin.local ktadd printed no kvno for {principal}.");
    }

    /// <summary>
    /// Ensures a user principal exists with a random password stored in <c>&lt;user&gt;.password</c> (mode 0600,
    /// no trailing newline). Idempotent: an existing user with a password file is left alone; one whose file is
    /// missing gets a new password.
    /// </summary>
    /// <param name="user">A user name without realm, for example <c>alice</c>.</param>
    /// <param name="cancellationToken">Cancels the kadmin.local calls.</param>
    public async Task AddUserAsync(string user, CancellationToken cancellationToken = default)
    {
        ValidateUser(user);
        // The MIT KDC tools, /proc and Unix file modes exist only on Linux; this guard also satisfies CA1416.
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The dev realm needs MIT Kerberos on Linux.");
        }

        var qualified = Qualify(user);
        var exists = (await ListPrincipalsAsync(cancellationToken).ConfigureAwait(false)).Contains(qualified);
        var path = PasswordPath(user);
        if (exists && File.Exists(path))
        {
            return;
        }

        // The password is on kadmin.local's command line only for the instant it runs; this is a throwaway
        // realm, and kadmin.local cannot read a new password from a pipe. The database is changed before the
        // file is written, so a crash in between leaves a user without a file, which the next call repairs.
        var password = RandomNumberGenerator.GetString(PasswordAlphabet, 24);
        await KadminAsync([exists ? "cpw" : "addprinc", "-pw", password, qualified], [password], cancellationToken).ConfigureAwait(false);
        File.Delete(path);
        var fileOptions = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        await using var stream = new FileStream(path, fileOptions);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(password), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every principal in the realm's database, fully qualified and sorted (includes krbtgt, K/M and kadmin/*).</summary>
    public async Task<IReadOnlyList<string>> ListPrincipalsAsync(CancellationToken cancellationToken = default)
    {
        var output = await KadminAsync(["listprincs"], [], cancellationToken).ConfigureAwait(false);
        return [.. output.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.Contains('@', StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Gets a TGT for <paramref name="user"/> into <see cref="CredentialCachePath"/> with <c>kinit</c>, feeding the
    /// password file on standard input. The cache holds one user at a time: a later call replaces it.
    /// </summary>
    /// <exception cref="DevRealmException">kinit failed, for example because the password is wrong or the KDC is down.</exception>
    public Task KinitAsync(string user, CancellationToken cancellationToken = default) => KinitAsync(user, CredentialCachePath, cancellationToken);

    /// <summary>As <see cref="KinitAsync(string, CancellationToken)"/>, into the cache <paramref name="cacheName"/> (e.g. <c>FILE:/tmp/x</c>): one per client process that must be a given user.</summary>
    public async Task KinitAsync(string user, string cacheName, CancellationToken cancellationToken = default)
    {
        ValidateUser(user);
        var password = PasswordOf(user);
        await ProcessRunner.RunAsync("kinit", ["-c", cacheName, Qualify(user)], Environment, password + "\n", [password], cancellationToken)
            .ConfigureAwait(false);
    }

    private static async Task<DevRealm> CreateAsync(string directory, string realmName, CancellationToken cancellationToken)
    {
        // The MIT KDC tools, /proc and Unix file modes exist only on Linux; this guard also satisfies CA1416.
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The dev realm needs MIT Kerberos on Linux.");
        }

        // 0700: the directory holds the stash (the master key) and the user passwords.
        System.IO.Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var realm = new DevRealm(directory, realmName, KdcProcess.FindFreePort());
        realm.WriteConfigFiles();

        // The master password is never needed again: -s stashes the master key, which is all the KDC uses.
        var masterPassword = RandomNumberGenerator.GetString(PasswordAlphabet, 32);
        await ProcessRunner.RunAsync("kdb5_util", ["-r", realmName, "create", "-s", "-P", masterPassword], realm.Environment, null, [masterPassword], cancellationToken)
            .ConfigureAwait(false);
        await KdcProcess.StartAsync(directory, realmName, realm.KdcPort, realm.Environment, cancellationToken).ConfigureAwait(false);
        return realm;
    }

    private static async Task<DevRealm> RestartAsync(DevRealm stopped, CancellationToken cancellationToken)
    {
        // The old port may have been taken while the KDC was down, so a stopped realm always gets a fresh one.
        var realm = new DevRealm(stopped.Directory, stopped.RealmName, KdcProcess.FindFreePort());
        realm.WriteConfigFiles();
        await KdcProcess.StartAsync(realm.Directory, realm.RealmName, realm.KdcPort, realm.Environment, cancellationToken).ConfigureAwait(false);
        return realm;
    }

    private void WriteConfigFiles()
    {
        RealmConfigFiles.WriteKrb5Conf(Directory, RealmName, KdcPort);
        RealmConfigFiles.WriteKdcConf(Directory, RealmName, KdcPort);
    }

    /// <summary>Runs kadmin.local with the query as separate arguments: unlike -q, that exits non-zero when the query fails.</summary>
    private Task<CommandOutput> KadminAsync(IReadOnlyList<string> query, IReadOnlyCollection<string> secrets, CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync("kadmin.local", ["-r", RealmName, .. query], Environment, null, secrets, cancellationToken);

    /// <summary>The principals in the service keytab, read with <c>klist -k</c> (lines "KVNO principal").</summary>
    private async Task<HashSet<string>> KeytabPrincipalsAsync(string keytabPath, CancellationToken cancellationToken)
    {
        if (!File.Exists(keytabPath))
        {
            return [];
        }

        var output = await ProcessRunner.RunAsync("klist", ["-k", keytabPath], Environment, null, [], cancellationToken).ConfigureAwait(false);
        return output.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries))
            .Where(parts => parts.Length == 2 && parts[0].All(char.IsAsciiDigit))
            .Select(parts => parts[1].Trim())
            .ToHashSet(StringComparer.Ordinal);
    }

    private string Qualify(string principal) => principal.Contains('@', StringComparison.Ordinal) ? principal : $"{principal}@{RealmName}";

    private string PasswordPath(string user) => Path.Combine(Directory, user + PasswordSuffix);

    private static void Validate(RealmOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.RealmName) || options.RealmName.Any(c => char.IsWhiteSpace(c) || c is '{' or '}' or '='))
        {
            throw new ArgumentException($"Invalid realm name '{options.RealmName}'.", nameof(options));
        }

        foreach (var user in options.Users)
        {
            ValidateUser(user);
        }
    }

    /// <summary>User names become file names and principals, so separators of either are rejected.</summary>
    private static void ValidateUser(string user)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        if (user.IndexOfAny(['/', '@', '\\', ' ']) >= 0 || user.StartsWith('.'))
        {
            throw new ArgumentException($"Invalid user name '{user}': use a plain name such as alice.", nameof(user));
        }
    }
}
