using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ActorAuth.Testing;

/// <summary>
/// A private HAProxy (Debian's <c>haproxy</c>) in TCP mode in front of ActorAuth nodes, as the load balancer:
/// one frontend on a free 127.0.0.1 port, one backend <c>nodes</c> (balance roundrobin) whose servers are
/// <c>node1</c>, <c>node2</c>, … in the order given, each with <see cref="DefaultServerOptions"/> (the PROXY v2 header and
/// a health check) unless told otherwise. Runs in the foreground (<c>haproxy -db -f haproxy.cfg</c>) as a child, logs
/// to its stderr (kept: <see cref="Diagnostics"/>), and has its runtime API on a unix socket (<see cref="CommandAsync"/>,
/// <see cref="DisableServerAsync"/>). Killed on dispose.
/// </summary>
public sealed class HaProxy : IAsyncDisposable
{
    /// <summary>What each backend server line carries unless the caller says otherwise: PROXY v2, a health check every second.</summary>
    public const string DefaultServerOptions = "send-proxy-v2 check inter 1s fall 2 rise 1";

    private readonly Process _process;
    private readonly StringBuilder _output;

    private HaProxy(Process process, StringBuilder output, string directory, int port, int servers)
    {
        _process = process;
        _output = output;
        Directory = directory;
        Port = port;
        Servers = servers;
    }

    /// <summary>The loopback port clients connect to.</summary>
    public int Port { get; }

    /// <summary>Its private directory: haproxy.cfg and the runtime API's socket.</summary>
    public string Directory { get; }

    /// <summary>How many backend servers it balances over (<c>node1</c> … <c>nodeN</c>).</summary>
    public int Servers { get; }

    /// <summary>The haproxy process.</summary>
    public int ProcessId => _process.Id;

    /// <summary>The unix socket of the runtime API (<c>stats socket … level admin</c>).</summary>
    public string AdminSocket => Path.Combine(Directory, "admin.sock");

    /// <summary>The configuration it runs and everything it logged (one tcplog line per connection), for failure messages.</summary>
    public string Diagnostics()
    {
        string config = File.ReadAllText(Path.Combine(Directory, "haproxy.cfg"));
        lock (_output)
        {
            return $"haproxy.cfg:\n{config}\nhaproxy output:\n{_output}";
        }
    }

    /// <summary>
    /// Writes the configuration and starts haproxy, waiting until its runtime API answers (by then the frontend is bound;
    /// no probe connection goes through to the nodes). <paramref name="serverOptions"/> replaces
    /// <see cref="DefaultServerOptions"/> on every server line (e.g. <c>check</c> alone: no PROXY header).
    /// </summary>
    /// <exception cref="InvalidOperationException">haproxy is not installed, or it did not come up (its output is in the message).</exception>
    public static async Task<HaProxy> StartAsync(IReadOnlyList<IPEndPoint> backends, string serverOptions = DefaultServerOptions)
    {
        ArgumentNullException.ThrowIfNull(backends);
        string directory = System.IO.Directory.CreateTempSubdirectory("actorauth-haproxy-").FullName;
        int port = LoopbackPort.Free();
        string config = Path.Combine(directory, "haproxy.cfg");
        await File.WriteAllTextAsync(config, Config(directory, port, backends, serverOptions));

        var output = new StringBuilder();
        Process process;
        try
        {
            process = ChildProcess.Start(ChildProcess.Describe("haproxy", new Dictionary<string, string>(), "-db", "-f", config), output, readyText: "\u0000", out _);
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException("haproxy is not installed: apt-get install -y haproxy (scripts/install-deps.sh)", e);
        }

        var haproxy = new HaProxy(process, output, directory, port, backends.Count);
        if (!await haproxy.AnswersAsync(TimeSpan.FromSeconds(15)))
        {
            string why = haproxy.Diagnostics();
            await haproxy.DisposeAsync();
            throw new InvalidOperationException($"haproxy did not start on 127.0.0.1:{port}.\n{why}");
        }

        return haproxy;
    }

    /// <summary>The whole haproxy.cfg for a frontend on <paramref name="port"/> and one server line per backend.</summary>
    public static string Config(string directory, int port, IReadOnlyList<IPEndPoint> backends, string serverOptions = DefaultServerOptions)
    {
        ArgumentNullException.ThrowIfNull(backends);
        var servers = new StringBuilder();
        for (int i = 0; i < backends.Count; i++)
        {
            servers.Append(CultureInfo.InvariantCulture, $"    server node{i + 1} {backends[i]} {serverOptions}\n");
        }

        // Two descriptors per proxied connection; the process may open 20,000 (FACTS.md). Long client/server timeouts,
        // so held sessions are not cut by the proxy during a test.
        return $"""
            global
                log stderr format raw local0 info
                stats socket {Path.Combine(directory, "admin.sock")} mode 600 level admin
                maxconn 9000

            defaults
                mode tcp
                log global
                option tcplog
                timeout connect 5s
                timeout client 10m
                timeout server 10m

            frontend actorauth
                bind 127.0.0.1:{port}
                default_backend nodes

            backend nodes
                balance roundrobin
            {servers}
            """;
    }

    /// <summary>Sends one command to the runtime API and returns its answer (e.g. <c>show servers state</c>).</summary>
    public async Task<string> CommandAsync(string command)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(AdminSocket), timeout.Token);
        await socket.SendAsync(Encoding.ASCII.GetBytes(command + "\n"), timeout.Token);
        var answer = new StringBuilder();
        var buffer = new byte[4096];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, timeout.Token)) > 0)
        {
            answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return answer.ToString();
    }

    /// <summary>Takes server <c>node{<paramref name="node"/>}</c> (1-based) out of the rotation (maintenance): its connections go to the others.</summary>
    public Task<string> DisableServerAsync(int node) => CommandAsync($"disable server nodes/node{node}");

    /// <summary>Puts server <c>node{<paramref name="node"/>}</c> back into the rotation (its health check decides when it is up).</summary>
    public Task<string> EnableServerAsync(int node) => CommandAsync($"enable server nodes/node{node}");

    private async Task<bool> AnswersAsync(TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                if ((await CommandAsync("show info")).Contains("Pid:", StringComparison.Ordinal))
                {
                    return true;
                }
            }
            catch (SocketException)
            {
                // Not bound yet.
            }

            await Task.Delay(50);
        }

        return false;
    }

    /// <summary>Kills haproxy (it has no children with -db) and removes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(timeout.Token);
        }

        _process.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
