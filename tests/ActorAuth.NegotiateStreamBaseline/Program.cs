using System.Globalization;
using System.Net;
using ActorAuth.Bench;
using ActorAuth.NegotiateStreamBaseline;

// negotiatestream-baseline server [--host 127.0.0.1] --port P
// negotiatestream-baseline client [--host 127.0.0.1] --port P [--spn actorauth/localhost] [-c C] [-n N | -d T]
//                                 [--ramp T] [--message-size B] [--source-addresses a,b] [--server-pid PID] [--json FILE] [--allow-errors]
// The client uses the ticket cache (KRB5CCNAME): kinit first. Same load shape and report as `actorauth bench`.
if (args.Length == 0 || args[0] is not ("server" or "client"))
{
    await Console.Error.WriteLineAsync("usage: negotiatestream-baseline server|client [options] (see Program.cs)");
    return 2;
}

var named = new Dictionary<string, string>(StringComparer.Ordinal);
var flags = new HashSet<string>(StringComparer.Ordinal);
for (int i = 1; i < args.Length; i++)
{
    if (args[i] == "--allow-errors")
    {
        flags.Add(args[i]);
    }
    else if (i + 1 < args.Length)
    {
        named[args[i]] = args[++i];
    }
    else
    {
        await Console.Error.WriteLineAsync($"negotiatestream-baseline: {args[i]} needs a value");
        return 2;
    }
}

string Get(string name, string fallback, string? alias = null) =>
    named.TryGetValue(name, out string? v) || (alias is not null && named.TryGetValue(alias, out v)) ? v : fallback;
int Int(string name, int fallback, string? alias = null) => int.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture), alias), CultureInfo.InvariantCulture);

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
IPAddress host = IPAddress.Parse(Get("--host", "127.0.0.1"));
if (args[0] == "server")
{
    return await BaselineServer.RunAsync(host, Int("--port", 2100), stop.Token);
}

TimeSpan? duration = named.ContainsKey("--duration") || named.ContainsKey("-d") ? BenchDurations.Parse(Get("--duration", "", "-d")) : null;
IPAddress[] sources = Get("--source-addresses", "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(IPAddress.Parse).ToArray();
var options = new LoadOptions
{
    Connections = Int("--connections", 64, "-c"),
    Handshakes = named.ContainsKey("--handshakes") || named.ContainsKey("-n") ? long.Parse(Get("--handshakes", "", "-n"), CultureInfo.InvariantCulture) : duration is null ? 1_000 : long.MaxValue,
    Duration = duration,
    Ramp = BenchDurations.Parse(Get("--ramp", "0s")),
    MessageSize = Int("--message-size", 64),
    SourceAddresses = sources,
    ServerProcessId = named.ContainsKey("--server-pid") ? Int("--server-pid", 0) : null,
};
var scenario = new BaselineScenario(new IPEndPoint(host, Int("--port", 2100)), Get("--spn", "actorauth/localhost"), sources);
BenchResult result = await new LoadRunner(options, scenario, Console.IsOutputRedirected ? null : Console.Out).RunAsync(stop.Token);
Console.Write(result.ToText());
if (named.TryGetValue("--json", out string? json))
{
    await File.WriteAllBytesAsync(json, result.ToJson());
}

return result.Failures == 0 || flags.Contains("--allow-errors") ? 0 : 1;
