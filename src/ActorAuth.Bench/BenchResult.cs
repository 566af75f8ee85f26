using System.Globalization;
using System.Text;
using System.Text.Json;
using HdrHistogram;

namespace ActorAuth.Bench;

/// <summary>Latency percentiles in milliseconds, read from a <see cref="LatencyHistogram"/> of microseconds.</summary>
public sealed record LatencySummary(long Count, double P50, double P90, double P99, double P999, double Max, double Mean)
{
    /// <summary>Summarises a histogram of microseconds, to its precision; an empty one (nothing succeeded) is all zeros.</summary>
    public static LatencySummary From(HistogramBase microseconds)
    {
        ArgumentNullException.ThrowIfNull(microseconds);
        if (microseconds.TotalCount == 0)
        {
            // HdrHistogram throws for a percentile of an empty histogram, and its mean is NaN.
            return new(0, 0, 0, 0, 0, 0, 0);
        }

        return new(microseconds.TotalCount, Ms(microseconds.GetValueAtPercentile(50)), Ms(microseconds.GetValueAtPercentile(90)),
            Ms(microseconds.GetValueAtPercentile(99)), Ms(microseconds.GetValueAtPercentile(99.9)), Ms(microseconds.GetMaxValue()),
            microseconds.GetMean() / 1e3);
    }

    private static double Ms(long microseconds) => microseconds / 1e3;
}

/// <summary>The outcome of one load run: what <c>--json</c> writes and the text report prints.</summary>
public sealed record BenchResult
{
    /// <summary>The target: <c>actorauth</c> or <c>negotiatestream</c>.</summary>
    public required string Target { get; init; }

    /// <summary>Concurrent clients (sessions held, in hold mode).</summary>
    public required int Connections { get; init; }

    /// <summary>Handshakes that succeeded (with their protected round trips).</summary>
    public required long Handshakes { get; init; }

    /// <summary>Sessions that failed in any phase.</summary>
    public required long Failures { get; init; }

    /// <summary>Failures by reason code.</summary>
    public required IReadOnlyDictionary<string, long> Errors { get; init; }

    /// <summary>Wall time of the load phase (in hold mode: opening the sessions).</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>TCP connect latency.</summary>
    public required LatencySummary Connect { get; init; }

    /// <summary>From the start of the connect until the session is authenticated (ActorAuth: greeting verified).</summary>
    public required LatencySummary Handshake { get; init; }

    /// <summary>The first protected request and its reply (in hold mode: the round trip at the end of the hold).</summary>
    public required LatencySummary FirstRoundTrip { get; init; }

    /// <summary>This process's CPU time during the load phase.</summary>
    public required TimeSpan ClientCpu { get; init; }

    /// <summary>Server CPU time during the load phase, when its process was given.</summary>
    public TimeSpan? ServerCpu { get; init; }

    /// <summary>Server resident memory before the run, when its process was given.</summary>
    public long? ServerRssBefore { get; init; }

    /// <summary>Server resident memory at the end of the load phase (in hold mode: with every session open).</summary>
    public long? ServerRssAfter { get; init; }

    /// <summary>The <see cref="LoadOptions.PeerProcessIds"/> sampled over the same interval as the server.</summary>
    public IReadOnlyList<PeerSample> Peers { get; init; } = [];

    /// <summary>Hold mode: how long the sessions were held; null otherwise.</summary>
    public TimeSpan? Hold { get; init; }

    /// <summary>Hold mode: sessions open at the end of the hold.</summary>
    public long HeldSessions { get; init; }

    /// <summary>Hold mode: round trips at the end of the hold that succeeded.</summary>
    public long HoldRoundTripsOk { get; init; }

    /// <summary>Hold mode: round trips at the end of the hold that failed.</summary>
    public long HoldRoundTripsFailed { get; init; }

    /// <summary>Message size and round trips per session (for the record).</summary>
    public int MessageSize { get; init; }

    /// <summary>Protected round trips per session.</summary>
    public int MessagesPerSession { get; init; }

    /// <summary>Warm-up handshakes that succeeded before the measured run (in no other figure).</summary>
    public long Warmup { get; init; }

    /// <summary>Warm-up handshakes that failed.</summary>
    public long WarmupFailures { get; init; }

    /// <summary>Methods this process JIT-compiled during the measured run (tier-ups included): more than a few means the client was not warm, and its CPU figure includes compiling.</summary>
    public long ClientJitMethods { get; init; }

    /// <summary>Successful handshakes per second of wall time.</summary>
    public double HandshakesPerSecond => Elapsed > TimeSpan.Zero ? Handshakes / Elapsed.TotalSeconds : 0;

    /// <summary>Client CPU per successful handshake, µs.</summary>
    public double ClientCpuMicrosPerHandshake => PerHandshake(ClientCpu);

    /// <summary>Server CPU per successful handshake, µs, or null.</summary>
    public double? ServerCpuMicrosPerHandshake => ServerCpu is { } cpu ? PerHandshake(cpu) : null;

    /// <summary>Server memory growth per held session, bytes (hold mode with a server process), or null.</summary>
    public double? ServerBytesPerSession => Hold is not null && HeldSessions > 0 && ServerRssBefore is { } before && ServerRssAfter is { } after
        ? (double)(after - before) / HeldSessions
        : null;

    private double PerHandshake(TimeSpan cpu) => Handshakes > 0 ? cpu.TotalMicroseconds / Handshakes : 0;

    /// <summary>Writes the report as JSON: the keys scripts read (see docs/PERFORMANCE.md).</summary>
    public void WriteJson(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartObject();
        json.WriteString("target", Target);
        json.WriteNumber("connections", Connections);
        json.WriteNumber("handshakes", Handshakes);
        json.WriteNumber("failures", Failures);
        json.WriteNumber("duration_s", Round(Elapsed.TotalSeconds, 3));
        json.WriteNumber("handshakes_per_second", Round(HandshakesPerSecond, 1));
        WriteLatency(json, "latency_ms", Handshake);
        WriteLatency(json, "connect_ms", Connect);
        WriteLatency(json, "first_round_trip_ms", FirstRoundTrip);
        json.WriteNumber("client_cpu_us_per_handshake", Round(ClientCpuMicrosPerHandshake, 1));
        json.WriteNumber("client_jit_methods", ClientJitMethods);
        if (ServerCpuMicrosPerHandshake is { } server)
        {
            json.WriteNumber("server_cpu_us_per_handshake", Round(server, 1));
        }

        if (ServerRssBefore is { } before)
        {
            json.WriteNumber("server_rss_before_bytes", before);
        }

        if (ServerRssAfter is { } after)
        {
            json.WriteNumber("server_rss_after_bytes", after);
        }

        if (Peers.Count > 0)
        {
            json.WriteStartArray("peers");
            foreach (PeerSample peer in Peers)
            {
                json.WriteStartObject();
                json.WriteNumber("pid", peer.ProcessId);
                if (peer.Cpu is { } cpu)
                {
                    json.WriteNumber("cpu_us_per_handshake", Round(PerHandshake(cpu), 1));
                    json.WriteNumber("rss_before_bytes", peer.RssBefore!.Value);
                    json.WriteNumber("rss_after_bytes", peer.RssAfter!.Value);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteNumber("message_size", MessageSize);
        json.WriteNumber("messages_per_session", MessagesPerSession);
        json.WriteNumber("warmup", Warmup);
        json.WriteNumber("warmup_failures", WarmupFailures);
        json.WriteStartObject("errors");
        foreach ((string reason, long count) in Errors.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            json.WriteNumber(reason, count);
        }

        json.WriteEndObject();
        if (Hold is { } hold)
        {
            json.WriteStartObject("hold");
            json.WriteNumber("seconds", Round(hold.TotalSeconds, 3));
            json.WriteNumber("sessions", HeldSessions);
            json.WriteNumber("round_trips_ok", HoldRoundTripsOk);
            json.WriteNumber("round_trips_failed", HoldRoundTripsFailed);
            if (ServerBytesPerSession is { } perSession)
            {
                json.WriteNumber("server_bytes_per_session", Round(perSession, 0));
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    /// <summary>The JSON report as UTF-8 bytes, indented.</summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            WriteJson(json);
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>The human report, a few aligned lines.</summary>
    public string ToText()
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"target: {Target}, {Connections} concurrent, message {MessageSize} B x {MessagesPerSession} per session");
        if (Warmup + WarmupFailures > 0)
        {
            text.AppendLine(c, $"warm-up: {Warmup:N0} ok, {WarmupFailures:N0} failed (not measured)");
        }

        text.AppendLine(c, $"handshakes: {Handshakes:N0} ok, {Failures:N0} failed in {Elapsed.TotalSeconds:0.000} s = {HandshakesPerSecond:N1}/s");
        text.AppendLine("latency (ms)          p50       p90       p99     p99.9       max");
        Row(text, "connect", Connect);
        Row(text, "handshake", Handshake);
        Row(text, Hold is null ? "first round trip" : "round trip at end", FirstRoundTrip);
        text.AppendLine(c, $"client CPU: {ClientCpuMicrosPerHandshake:N1} µs/handshake ({ClientCpu.TotalSeconds:0.00} s), {ClientJitMethods:N0} methods JIT-compiled meanwhile");
        if (ServerCpuMicrosPerHandshake is { } server)
        {
            text.AppendLine(c, $"server CPU: {server:N1} µs/handshake ({ServerCpu!.Value.TotalSeconds:0.00} s)");
        }

        if (ServerRssBefore is { } before && ServerRssAfter is { } after)
        {
            text.AppendLine(c, $"server RSS: {before / 1048576.0:N1} MiB before, {after / 1048576.0:N1} MiB after");
        }

        foreach (PeerSample peer in Peers)
        {
            text.AppendLine(peer.Cpu is { } cpu
                ? string.Create(c, $"peer {peer.ProcessId} CPU: {PerHandshake(cpu):N1} µs/handshake ({cpu.TotalSeconds:0.00} s), RSS {peer.RssBefore / 1048576.0:N1} MiB before, {peer.RssAfter / 1048576.0:N1} MiB after")
                : string.Create(c, $"peer {peer.ProcessId}: not readable"));
        }

        if (Hold is { } hold)
        {
            text.Append(c, $"hold: {HeldSessions:N0} sessions for {hold.TotalSeconds:0.#} s, round trips at the end {HoldRoundTripsOk:N0} ok, {HoldRoundTripsFailed:N0} failed");
            text.AppendLine(ServerBytesPerSession is { } b ? string.Create(c, $", server {b:N0} bytes/session") : "");
        }

        foreach ((string reason, long count) in Errors.OrderByDescending(e => e.Value))
        {
            text.AppendLine(c, $"error {reason}: {count:N0}");
        }

        return text.ToString();
    }

    private static void Row(StringBuilder text, string name, LatencySummary s) => text.AppendLine(CultureInfo.InvariantCulture,
        $"{name,-18}{s.P50,9:0.000} {s.P90,9:0.000} {s.P99,9:0.000} {s.P999,9:0.000} {s.Max,9:0.000}");

    private static void WriteLatency(Utf8JsonWriter json, string name, LatencySummary s)
    {
        json.WriteStartObject(name);
        json.WriteNumber("count", s.Count);
        json.WriteNumber("p50", Round(s.P50, 3));
        json.WriteNumber("p90", Round(s.P90, 3));
        json.WriteNumber("p99", Round(s.P99, 3));
        json.WriteNumber("p999", Round(s.P999, 3));
        json.WriteNumber("max", Round(s.Max, 3));
        json.WriteNumber("mean", Round(s.Mean, 3));
        json.WriteEndObject();
    }

    private static double Round(double value, int digits) => Math.Round(value, digits, MidpointRounding.AwayFromZero);
}
