using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace ActorAuth.DevRealm;

/// <summary>
/// Starts, probes and stops the realm's <c>krb5kdc</c>. The KDC daemonizes itself and records its pid,
/// so it outlives the process that started it (the CLI's <c>realm up</c> exits right away) and is
/// found again through the pid file alone.
/// </summary>
internal static partial class KdcProcess
{
    /// <summary>The pid file krb5kdc writes after daemonizing.</summary>
    public const string PidFileName = "krb5kdc.pid";

    private const int SigKill = 9;
    private const int SigTerm = 15;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(25);

    /// <summary>
    /// Asks the kernel for a free TCP port on 127.0.0.1. There is a window between closing the probe
    /// socket and krb5kdc binding the port; on a dev machine the kernel does not hand the same
    /// ephemeral port out again that quickly, and a lost race surfaces as a failed start with the log.
    /// </summary>
    public static int FindFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>
    /// True when the pid file names a live krb5kdc. A zombie counts as stopped (a container's pid 1 may
    /// never reap the daemon), and a recycled pid belonging to another program counts as stopped too.
    /// </summary>
    public static bool IsRunning(string directory) => ReadPid(directory) is { } pid && IsKdcAlive(pid);

    /// <summary>
    /// Starts krb5kdc for the realm and waits until its TCP port accepts connections and its pid file exists.
    /// </summary>
    /// <exception cref="DevRealmException">krb5kdc failed or did not come up in time; includes the log tail.</exception>
    public static async Task StartAsync(
        string directory, string realm, int port, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var pidFile = Path.Combine(directory, PidFileName);
        File.Delete(pidFile);

        // Without -n, krb5kdc binds its sockets, forks, and the parent exits, so a zero exit code here
        // already means the configuration was accepted; the child then writes the pid file.
        try
        {
            await ProcessRunner.RunAsync("krb5kdc", ["-r", realm, "-P", pidFile], environment, null, [], cancellationToken)
                .ConfigureAwait(false);
        }
        catch (DevRealmException e) when (e.ExitCode is not null)
        {
            throw new DevRealmException($"{e.Message}\nKDC log tail:\n{LogTail(directory)}", e);
        }

        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (IsRunning(directory) && await AcceptsConnectionsAsync(port, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }

        throw new DevRealmException(
            $"krb5kdc for {realm} did not accept connections on 127.0.0.1:{port} within {StartTimeout.TotalSeconds} s.\nKDC log tail:\n{LogTail(directory)}");
    }

    /// <summary>
    /// Stops the KDC named by the pid file with SIGTERM (SIGKILL if it lingers) and removes the pid file.
    /// Does nothing when there is no pid file or the KDC is already gone.
    /// </summary>
    /// <exception cref="DevRealmException">The KDC survived SIGKILL.</exception>
    public static async Task StopAsync(string directory, CancellationToken cancellationToken)
    {
        if (ReadPid(directory) is { } pid && IsKdcAlive(pid))
        {
            if (!await SignalAndWaitAsync(pid, SigTerm, cancellationToken).ConfigureAwait(false)
                && !await SignalAndWaitAsync(pid, SigKill, cancellationToken).ConfigureAwait(false))
            {
                throw new DevRealmException($"krb5kdc (pid {pid}) did not exit after SIGTERM and SIGKILL.");
            }
        }

        if (System.IO.Directory.Exists(directory))
        {
            File.Delete(Path.Combine(directory, PidFileName));
        }
    }

    private static async Task<bool> SignalAndWaitAsync(int pid, int signal, CancellationToken cancellationToken)
    {
        // ESRCH (already gone) is success; anything else shows up as the process still being alive below.
        _ = Kill(pid, signal);
        var deadline = DateTime.UtcNow + StopTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (!IsKdcAlive(pid))
            {
                return true;
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }

        return false;
    }

    private static int? ReadPid(string directory)
    {
        var pidFile = Path.Combine(directory, PidFileName);
        try
        {
            return int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Reads /proc/PID/stat: "PID (comm) STATE ...". Linux-only, like the rest of the dev realm.</summary>
    private static bool IsKdcAlive(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return false;
        }

        var open = stat.IndexOf('(', StringComparison.Ordinal);
        var close = stat.LastIndexOf(')');
        if (open < 0 || close < open || close + 2 >= stat.Length)
        {
            return false;
        }

        var command = stat[(open + 1)..close];
        var state = stat[close + 2];
        return command == "krb5kdc" && state != 'Z' && state != 'X';
    }

    private static async Task<bool> AcceptsConnectionsAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string LogTail(string directory)
    {
        var log = Path.Combine(directory, RealmConfigFiles.KdcLogName);
        return File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(20)) : $"(no log at {log})";
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
