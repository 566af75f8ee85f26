using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ActorAuth.Client;

// soak-driver --port P --password-file F --seconds N [--user alice] [--spn actorauth/localhost]
//             [--honest 8] [--hostile-per-second 20] [--server-pid PID]
// Honest clients authenticate and echo in a loop; hostile connections (garbage tokens, oversize and zero
// headers, silent connections, truncated frames, trickling) arrive at a bounded rate, at most 64 at once,
// from 127.0.0.2-241. Every loop is bounded by time and count. Prints one summary; exit 0 if every honest
// attempt succeeded.
Dictionary<string, string> arguments = ParseArguments(args);
int port = int.Parse(arguments["port"], CultureInfo.InvariantCulture);
string user = arguments.GetValueOrDefault("user", "alice");
string spn = arguments.GetValueOrDefault("spn", "actorauth/localhost");
string password = File.ReadAllText(arguments["password-file"]).Trim();
var duration = TimeSpan.FromSeconds(double.Parse(arguments["seconds"], CultureInfo.InvariantCulture));
int honestWorkers = int.Parse(arguments.GetValueOrDefault("honest", "8"), CultureInfo.InvariantCulture);
int hostilePerSecond = int.Parse(arguments.GetValueOrDefault("hostile-per-second", "20"), CultureInfo.InvariantCulture);
int? serverPid = arguments.TryGetValue("server-pid", out string? pid) ? int.Parse(pid, CultureInfo.InvariantCulture) : null;

const int MaxAttemptsPerWorker = 1_000_000;
const int MaxHostileInFlight = 64;
var options = new ActorAuthClientOptions { Credential = new NetworkCredential(user, password), HandshakeTimeout = TimeSpan.FromSeconds(15) };
var handshakeMs = new List<double>();
var failures = new Dictionary<string, int>();
var hostileKinds = new Dictionary<string, int>();
long honestOk = 0, honestFailed = 0;
var gate = new object();
var clock = Stopwatch.StartNew();
DateTime end = DateTime.UtcNow + duration;

Console.WriteLine($"soak: {honestWorkers} honest clients, {hostilePerSecond} hostile connections/s (at most {MaxHostileInFlight} open), {duration.TotalSeconds:0} s, server 127.0.0.1:{port}");
Sample("start");
Task warmUp = Task.Delay(TimeSpan.FromTicks(Math.Min(duration.Ticks / 5, TimeSpan.FromSeconds(60).Ticks))).ContinueWith(_ => Sample("after warm-up"), TaskScheduler.Default);

Task[] honest = Enumerable.Range(0, honestWorkers).Select(w => Task.Run(() => HonestLoopAsync(w))).ToArray();
Task hostile = Task.Run(HostileLoopAsync);
await Task.WhenAll([.. honest, hostile, warmUp]);
Sample("end");

double[] sorted = [.. handshakeMs.Order()];
long total = honestOk + honestFailed;
Console.WriteLine($"honest: {honestOk}/{total} succeeded ({(total == 0 ? 0 : 100.0 * honestOk / total):0.000}%), " +
    $"handshake p50 {Percentile(sorted, 0.50):0.0} ms, p99 {Percentile(sorted, 0.99):0.0} ms, max {(sorted.Length > 0 ? sorted[^1] : 0):0.0} ms (client-side, connect to greeting)");
Console.WriteLine("honest failures: " + (failures.Count == 0 ? "none" : string.Join("; ", failures.Select(f => $"{f.Value}x {f.Key}"))));
Console.WriteLine("hostile: " + string.Join(", ", hostileKinds.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}")));
return honestFailed == 0 && honestOk > 0 ? 0 : 1;

async Task HonestLoopAsync(int worker)
{
    for (int i = 0; i < MaxAttemptsPerWorker && DateTime.UtcNow < end; i++)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            await using AuthenticatedChannel channel = await ActorAuthClient.ConnectAsync("127.0.0.1", port, spn, options);
            double ms = watch.Elapsed.TotalMilliseconds;
            byte[] message = Encoding.UTF8.GetBytes($"soak {worker}/{i}");
            ReadOnlyMemory<byte> reply = await channel.RequestAsync(message);
            if (!reply.Span.SequenceEqual(message) || !channel.IsMutuallyAuthenticated)
            {
                throw new InvalidDataException("the echo did not match or the server was not proven");
            }

            lock (gate)
            {
                honestOk++;
                handshakeMs.Add(ms);
            }
        }
        catch (Exception e)
        {
            string key = e is ActorAuthClientException c ? $"{c.Failure}: {c.Message}" : $"{e.GetType().Name}: {e.Message}";
            lock (gate)
            {
                honestFailed++;
                failures[key] = failures.GetValueOrDefault(key) + 1;
            }
        }
    }
}

async Task HostileLoopAsync()
{
    using var inFlight = new SemaphoreSlim(MaxHostileInFlight);
    var rng = new Random(20261122);
    var running = new List<Task>();
    string[] kinds = ["garbage-token", "oversize-4GiB", "oversize-max+1", "zero-length", "silent", "truncated-then-close", "truncated-then-wait", "trickle", "data-before-handshake"];
    TimeSpan interval = TimeSpan.FromSeconds(1.0 / Math.Max(1, hostilePerSecond));
    for (int n = 0; n < 10_000_000 && DateTime.UtcNow < end; n++)
    {
        await Task.Delay(interval);
        if (!inFlight.Wait(0))
        {
            Count("skipped (64 open)");
            continue;
        }

        string kind = kinds[rng.Next(kinds.Length)];
        byte[] noise = new byte[1 + rng.Next(2000)];
        rng.NextBytes(noise);
        int source = n;
        running.Add(Task.Run(async () =>
        {
            try
            {
                await HostileAsync(kind, noise, source);
                Count(kind);
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
            {
                Count(kind + " (socket error)");
            }
            finally
            {
                inFlight.Release();
            }
        }));
        running.RemoveAll(t => t.IsCompleted);
    }

    await Task.WhenAll(running);
}

async Task HostileAsync(string kind, byte[] noise, int source)
{
    using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    socket.Bind(new IPEndPoint(new IPAddress([127, 0, 0, (byte)(2 + (source % 240))]), 0));
    await socket.ConnectAsync(IPAddress.Loopback, port);
    switch (kind)
    {
        case "garbage-token" or "data-before-handshake":
            await socket.SendAsync(Frame(noise, (uint)noise.Length));
            break;
        case "oversize-4GiB":
            await socket.SendAsync(Frame(noise, 0xFFFF_FFFF));
            break;
        case "oversize-max+1":
            await socket.SendAsync(Frame(noise, 64 * 1024 + 1));
            break;
        case "zero-length":
            await socket.SendAsync(Frame([], 0));
            break;
        case "truncated-then-close":
            await socket.SendAsync(Frame(noise, (uint)noise.Length + 100));
            socket.Shutdown(SocketShutdown.Send);
            break;
        case "truncated-then-wait":
            await socket.SendAsync(Frame(noise, (uint)noise.Length + 100));
            break;
        case "trickle":
            for (int i = 0; i < 3; i++)
            {
                await socket.SendAsync(noise.AsMemory(i, 1));
                await Task.Delay(1000);
            }

            break;
    }

    // Wait (bounded) for the server to close: its receive timeout is 10 s by default.
    using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
    var buffer = new byte[4096];
    while (await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token) > 0)
    {
    }
}

static byte[] Frame(byte[] payload, uint declared)
{
    var frame = new byte[4 + payload.Length];
    BinaryPrimitives.WriteUInt32LittleEndian(frame, declared);
    payload.CopyTo(frame, 4);
    return frame;
}

void Count(string kind)
{
    lock (gate)
    {
        hostileKinds[kind] = hostileKinds.GetValueOrDefault(kind) + 1;
    }
}

void Sample(string when)
{
    if (serverPid is not int p)
    {
        return;
    }

    try
    {
        string rss = File.ReadLines($"/proc/{p}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        int fds = Directory.GetFiles($"/proc/{p}/fd").Length;
        Console.WriteLine($"server at {when} ({clock.Elapsed.TotalSeconds:0} s): RSS {rss}, {fds} open fds");
    }
    catch (IOException e)
    {
        Console.WriteLine($"server at {when}: cannot read /proc/{p}: {e.Message}");
    }
}

static double Percentile(double[] sorted, double p) =>
    sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

static Dictionary<string, string> ParseArguments(string[] args)
{
    var result = new Dictionary<string, string>();
    for (int i = 0; i + 1 < args.Length; i += 2)
    {
        result[args[i].TrimStart('-')] = args[i + 1];
    }

    return result;
}
