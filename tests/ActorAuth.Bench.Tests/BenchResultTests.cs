using System.Text.Json;
using ActorAuth.Bench;
using HdrHistogram;
using Xunit;

namespace ActorAuth.Bench.Tests;

public class BenchResultTests
{
    private static LatencySummary Latency(params long[] microseconds)
    {
        HistogramBase histogram = LatencyHistogram.Create();
        foreach (long v in microseconds)
        {
            histogram.RecordValue(v);
        }

        return LatencySummary.From(histogram);
    }

    private static BenchResult Result() => new()
    {
        Target = "actorauth",
        Connections = 256,
        Handshakes = 2_000,
        Failures = 3,
        Errors = new Dictionary<string, long> { ["Timeout"] = 1, ["ServerRefused"] = 2 },
        Elapsed = TimeSpan.FromSeconds(2),
        Connect = Latency(100, 200),
        Handshake = Latency(2_000, 3_000, 40_000),
        FirstRoundTrip = Latency(500),
        ClientCpu = TimeSpan.FromMilliseconds(400),
        ServerCpu = TimeSpan.FromMilliseconds(300),
        ServerRssBefore = 1_000_000,
        ServerRssAfter = 3_000_000,
        MessageSize = 64,
        MessagesPerSession = 1,
    };

    [Fact]
    public void Json_has_the_keys_scripts_read()
    {
        using JsonDocument json = JsonDocument.Parse(Result().ToJson());
        JsonElement root = json.RootElement;
        Assert.Equal(2_000, root.GetProperty("handshakes").GetInt64());
        Assert.Equal(3, root.GetProperty("failures").GetInt64());
        Assert.Equal(1_000.0, root.GetProperty("handshakes_per_second").GetDouble());
        Assert.Equal(200.0, root.GetProperty("client_cpu_us_per_handshake").GetDouble());
        Assert.Equal(150.0, root.GetProperty("server_cpu_us_per_handshake").GetDouble());
        foreach (string name in new[] { "latency_ms", "connect_ms", "first_round_trip_ms" })
        {
            JsonElement latency = root.GetProperty(name);
            foreach (string key in new[] { "p50", "p90", "p99", "p999", "max" })
            {
                Assert.Equal(JsonValueKind.Number, latency.GetProperty(key).ValueKind);
            }
        }

        Assert.Equal(40.0, root.GetProperty("latency_ms").GetProperty("max").GetDouble(), 0.04);
        Assert.Equal(3.0, root.GetProperty("latency_ms").GetProperty("p50").GetDouble(), 0.003);
        Assert.Equal(0.2, root.GetProperty("connect_ms").GetProperty("max").GetDouble());
        JsonElement errors = root.GetProperty("errors");
        Assert.Equal(2, errors.GetProperty("ServerRefused").GetInt64());
        Assert.Equal(1, errors.GetProperty("Timeout").GetInt64());
        Assert.False(root.TryGetProperty("hold", out _));
    }

    [Fact]
    public void Hold_mode_adds_the_hold_section_with_server_bytes_per_session()
    {
        BenchResult held = Result() with { Hold = TimeSpan.FromSeconds(60), HeldSessions = 1_000, HoldRoundTripsOk = 1_000 };
        using JsonDocument json = JsonDocument.Parse(held.ToJson());
        JsonElement hold = json.RootElement.GetProperty("hold");
        Assert.Equal(1_000, hold.GetProperty("sessions").GetInt64());
        Assert.Equal(1_000, hold.GetProperty("round_trips_ok").GetInt64());
        Assert.Equal(0, hold.GetProperty("round_trips_failed").GetInt64());
        Assert.Equal(2_000.0, hold.GetProperty("server_bytes_per_session").GetDouble());
    }

    [Fact]
    public void Without_a_server_process_there_is_no_server_figure()
    {
        BenchResult clientOnly = Result() with { ServerCpu = null, ServerRssBefore = null, ServerRssAfter = null };
        using JsonDocument json = JsonDocument.Parse(clientOnly.ToJson());
        Assert.False(json.RootElement.TryGetProperty("server_cpu_us_per_handshake", out _));
        Assert.DoesNotContain("server CPU", clientOnly.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Text_report_names_the_rate_and_every_error()
    {
        string text = Result().ToText();
        Assert.Contains("1,000.0/s", text, StringComparison.Ordinal);
        Assert.Contains("error ServerRefused: 2", text, StringComparison.Ordinal);
        Assert.Contains("error Timeout: 1", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("500ms", 0.5)]
    [InlineData("30s", 30)]
    [InlineData("2m", 120)]
    [InlineData("1h", 3600)]
    [InlineData("7", 7)]
    public void Durations_parse(string text, double seconds) => Assert.Equal(seconds, BenchDurations.Parse(text).TotalSeconds, 6);

    [Fact]
    public void A_bad_duration_is_refused() => Assert.Throws<FormatException>(() => BenchDurations.Parse("soon"));
}
