using System.ComponentModel;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using DevRealmInstance = ActorAuth.DevRealm.DevRealm;

namespace ActorAuth.Testing;

/// <summary>
/// A private Apache httpd with mod_auth_gssapi (Debian's apache2 and libapache2-mod-auth-gssapi), the anchor a user
/// would pick for HTTP Negotiate: its own configuration, pid file, logs and port in a temporary directory, mpm_event,
/// <c>Listen 127.0.0.1:&lt;port&gt;</c>, a document root whose every path requires <c>AuthType GSSAPI</c> with the dev
/// realm's HTTP/localhost key. Run as root (CI) its workers run as www-data, so the keytab, krb5.conf and replay
/// cache it reads are copies in its directory that www-data may read (the realm directory is 0700). Runs in the
/// foreground as a child; stopped with SIGTERM (its workers stop with it) on dispose. Its configuration is
/// apache-httpd.conf, which scripts/bench-http.sh fills in too.
/// </summary>
public sealed class ApacheHttpd : IAsyncDisposable
{
    private const string Modules = "/usr/lib/apache2/modules";
    private readonly Process _process;
    private readonly StringBuilder _output;

    private ApacheHttpd(Process process, StringBuilder output, string directory, int port)
    {
        _process = process;
        _output = output;
        Directory = directory;
        Port = port;
    }

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; }

    /// <summary>Its private directory: httpd.conf, error.log, access.log, docs/.</summary>
    public string Directory { get; }

    /// <summary>The main (parent) process.</summary>
    public int ProcessId => _process.Id;

    /// <summary>The URL of <paramref name="path"/> at <c>localhost</c>, so the SPN is HTTP/localhost.</summary>
    public Uri Url(string path) => new($"http://localhost:{Port}/{path.TrimStart('/')}");

    /// <summary>The error log and what apache2 wrote to its own stdout/stderr, for failure messages.</summary>
    public string Diagnostics()
    {
        string log = Path.Combine(Directory, "error.log");
        lock (_output)
        {
            return $"apache error.log:\n{(File.Exists(log) ? File.ReadAllText(log) : "(none)")}\napache2 output:\n{_output}";
        }
    }

    /// <summary>
    /// Writes the configuration and <paramref name="documents"/> (path → content) and starts apache2, waiting until it
    /// accepts connections.
    /// </summary>
    /// <exception cref="InvalidOperationException">apache2 or the module is not installed, or it did not come up (its error log is in the message).</exception>
    public static async Task<ApacheHttpd> StartAsync(DevRealmInstance realm, IReadOnlyDictionary<string, string> documents, int threadsPerChild = 16)
    {
        ArgumentNullException.ThrowIfNull(realm);
        if (!File.Exists(Path.Combine(Modules, "mod_auth_gssapi.so")))
        {
            throw new InvalidOperationException("mod_auth_gssapi is not installed: apt-get install -y apache2 libapache2-mod-auth-gssapi (scripts/install-deps.sh)");
        }

        string directory = System.IO.Directory.CreateTempSubdirectory("actorauth-apache-").FullName;
        bool root = Environment.UserName == "root";
        Readable(directory, "755");
        string docs = System.IO.Directory.CreateDirectory(Path.Combine(directory, "docs")).FullName;
        foreach ((string path, string content) in documents)
        {
            string file = Path.Combine(docs, path);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllTextAsync(file, content);
            Readable(file, "644");
        }

        string keytab = Path.Combine(directory, "http.keytab");
        File.Copy(realm.KeytabPath, keytab);
        string krb5Conf = Path.Combine(directory, "krb5.conf");
        File.Copy(realm.Krb5ConfigPath, krb5Conf);
        Readable(krb5Conf, "644");
        string run = System.IO.Directory.CreateDirectory(Path.Combine(directory, "run")).FullName;
        if (root)
        {
            // The keytab stays unreadable to anyone but root and the workers' group.
            Readable(keytab, "640");
            await ChownAsync("root:www-data", keytab);
            await ChownAsync("www-data:www-data", run);
        }

        int port = LoopbackPort.Free();
        string conf = Path.Combine(directory, "httpd.conf");
        await File.WriteAllTextAsync(conf, Config(directory, port, keytab, root, threadsPerChild));

        // MIT in the workers reads these from the environment apache2 starts with (a private replay cache, as on its own host).
        var environment = new Dictionary<string, string>(realm.Environment)
        {
            ["KRB5_CONFIG"] = krb5Conf,
            ["KRB5_KTNAME"] = "FILE:" + keytab,
            ["KRB5RCACHENAME"] = "file2:" + Path.Combine(run, "rcache"),
        };
        var output = new StringBuilder();
        Process process;
        try
        {
            // Readiness is an answered connect, not a line: apache2 logs to error.log, and its own output is kept for failures only.
            process = ChildProcess.Start(ChildProcess.Describe("apache2", environment, "-f", conf, "-DFOREGROUND"), output, readyText: "\u0000", out _);
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException("apache2 is not installed: apt-get install -y apache2 libapache2-mod-auth-gssapi", e);
        }

        var apache = new ApacheHttpd(process, output, directory, port);
        if (!await apache.AnswersAsync(TimeSpan.FromSeconds(15)))
        {
            string why = apache.Diagnostics();
            await apache.DisposeAsync();
            throw new InvalidOperationException($"apache2 did not start on 127.0.0.1:{port}.\n{why}");
        }

        return apache;
    }

    /// <summary>The whole httpd.conf: apache-httpd.conf (embedded; scripts/bench-http.sh fills in the same file) with this instance's values.</summary>
    public static string Config(string directory, int port, string keytab, bool dropToWwwData, int threadsPerChild)
    {
        using Stream template = typeof(ApacheHttpd).Assembly.GetManifestResourceStream("ActorAuth.Testing.apache-httpd.conf")!;
        using var reader = new StreamReader(template);
        return reader.ReadToEnd()
            .Replace("@DIR@", directory, StringComparison.Ordinal)
            .Replace("@PORT@", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("@USER_LINES@", dropToWwwData ? "User www-data\nGroup www-data" : "", StringComparison.Ordinal)
            .Replace("@THREADS@", threadsPerChild.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("@WORKERS@", (2 * threadsPerChild).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("@KEYTAB@", keytab, StringComparison.Ordinal);
    }

    private async Task<bool> AnswersAsync(TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", Port);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        return false;
    }

    private static void Readable(string path, string mode)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Apache with mod_auth_gssapi is run on Linux only.");
        }

        File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32(mode, 8));
    }

    private static async Task ChownAsync(string owner, string path)
    {
        (int code, _, string stderr) = await ChildProcess.RunAsync("chown", new Dictionary<string, string>(), owner, path);
        if (code != 0)
        {
            throw new InvalidOperationException($"chown {owner} {path} failed: {stderr}");
        }
    }

    /// <summary>Stops apache2 with SIGTERM (the parent stops its workers; SIGKILL would orphan them on the port) and removes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await ChildProcess.RunAsync("kill", new Dictionary<string, string>(), "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
