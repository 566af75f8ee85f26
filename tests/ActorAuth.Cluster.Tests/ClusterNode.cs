using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using DevRealmInstance = ActorAuth.DevRealm.DevRealm;

namespace ActorAuth.Cluster.Tests;

/// <summary>
/// One ActorAuth node as its own process (<c>actorauth server --cluster-port …</c>), with its own configuration file and
/// its own MIT replay cache (as on its own host), so only the cluster's replay cache can refuse another node's token.
/// </summary>
public sealed class ClusterNode : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly DevRealmInstance _realm;
    private readonly string _config;
    private readonly StringBuilder _output = new();
    private Process? _process;

    private ClusterNode(string name, DevRealmInstance realm, string config, int port, int clusterPort)
    {
        Name = name;
        _realm = realm;
        _config = config;
        Port = port;
        ClusterPort = clusterPort;
    }

    /// <summary>The node's name in the test's messages.</summary>
    public string Name { get; }

    /// <summary>The sockauth port.</summary>
    public int Port { get; }

    /// <summary>The Akka.Remote port.</summary>
    public int ClusterPort { get; }

    /// <summary>How the registry and the logs name the node.</summary>
    public string Node => $"127.0.0.1:{ClusterPort}";

    /// <summary>Everything the process wrote (both streams), across restarts.</summary>
    public string Log
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>True while the process runs.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>
    /// Writes node <paramref name="name"/>'s configuration in <paramref name="directory"/>: its ports, the seeds, the
    /// test's authorization (alice and carol are operators), the cluster keys in <paramref name="cluster"/>.
    /// </summary>
    public static ClusterNode Create(string name, DevRealmInstance realm, string directory, int port, int clusterPort, IEnumerable<int> seedPorts, string cluster = "", string server = "")
    {
        string config = Path.Combine(directory, name + ".conf");
        string seeds = string.Join(", ", seedPorts.Select(p => $"\"127.0.0.1:{p}\""));
        File.WriteAllText(config, $$"""
            actorauth {
              server { host = 127.0.0.1, port = {{port}}, stats-interval = 0s {{server}} }
              kerberos { replay-cache = "{{Path.Combine(directory, name + ".rcache")}}" }
              authorization {
                rules = [ { principals = ["*@{{realm.RealmName}}"], operations = ["*"] } ]
                operators = ["alice@{{realm.RealmName}}", "carol@{{realm.RealmName}}"]
              }
              cluster {
                enabled = on
                host = 127.0.0.1
                port = {{clusterPort}}
                seed-nodes = [ {{seeds}} ]
                down-unreachable-after = 3s
                {{cluster}}
              }
            }
            akka.cluster.failure-detector.acceptable-heartbeat-pause = 2s
            """);
        return new ClusterNode(name, realm, config, port, clusterPort);
    }

    /// <summary>Free TCP ports on 127.0.0.1, none repeated.</summary>
    public static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        listeners.ForEach(l => l.Start());
        int[] ports = [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        listeners.ForEach(l => l.Stop());
        return ports;
    }

    /// <summary>Starts the process; completes once it listens (it is Up in the cluster and its replay cache votes by then).</summary>
    public async Task StartAsync()
    {
        ProcessStartInfo start = ChildProcess.Describe("dotnet", _realm.Environment, ChildProcess.Cli, "server", "--config", _config);
        _process = ChildProcess.Start(start, _output, "ActorAuth listening on", out Task ready);
        Task exited = _process.WaitForExitAsync();
        if (await Task.WhenAny(ready, exited, Task.Delay(StartTimeout)) != ready)
        {
            throw new InvalidOperationException($"{Name} did not start listening within {StartTimeout.TotalSeconds} s (exited: {exited.IsCompleted}):\n{Log}");
        }
    }

    /// <summary>SIGKILL: the process dies at once, closing nothing, telling no one.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Sends <paramref name="token"/> as a new connection's first token; true when the node answered it (accepted), false when it closed.</summary>
    public async Task<bool> AcceptsTokenAsync(byte[] token)
    {
        using RawClient raw = await RawClient.ConnectAsync(Port);
        await raw.SendFrameAsync(token);
        return await raw.ReceiveFrameAsync(TimeSpan.FromSeconds(10)) is not null;
    }

    /// <summary>How many lines of the log contain <paramref name="text"/>.</summary>
    public int Count(string text) => Log.Split('\n').Count(l => l.Contains(text, StringComparison.Ordinal));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} (sockauth {Port.ToString(CultureInfo.InvariantCulture)}, cluster {ClusterPort.ToString(CultureInfo.InvariantCulture)})";
}
