using System.Text.Json;
using ActorAuth.Server.Metrics;

namespace ActorAuth.Server.Http;

/// <summary>
/// What the operators' endpoints report, server-wide: readiness (<c>/readyz</c>: listeners bound, credentials
/// loaded, directory step done) and, for <c>/status</c>, each listener's live numbers and a history of handshakes and
/// failures per second by reason, sampled every <see cref="Interval"/> for the last <see cref="Points"/> intervals.
/// </summary>
public sealed class ServerStatus : IDisposable
{
    /// <summary>The sampling interval of the history.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <summary>How many samples the history keeps (ten minutes).</summary>
    public const int Points = 120;

    private static readonly TeardownReason[] Reasons = Enum.GetValues<TeardownReason>();

    private readonly ServerMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Queue<Sample>> _history = [];
    private readonly Dictionary<string, (long Succeeded, long[] Failed)> _last = [];
    private readonly ITimer _timer;
    private volatile string? _notReady = "starting";
    private IReadOnlyList<ListenerView> _listeners = [];

    /// <summary>Starts sampling <paramref name="metrics"/> (the server's totals, with its listeners' views).</summary>
    public ServerStatus(ServerMetrics metrics, TimeProvider? time = null)
    {
        _metrics = metrics;
        _time = time ?? TimeProvider.System;
        Started = _time.GetUtcNow();
        _timer = _time.CreateTimer(_ => TakeSample(), null, Interval, Interval);
    }

    /// <summary>When the server started.</summary>
    public DateTimeOffset Started { get; }

    /// <summary>Null when ready; otherwise what it is still doing (or that it is stopping).</summary>
    public string? NotReady => _notReady;

    /// <summary>Says what start-up is doing now, or (null) that it is done.</summary>
    public void SetStep(string? step) => _notReady = step;

    /// <summary>The listeners to report, with their bound addresses.</summary>
    public void SetListeners(IReadOnlyList<ListenerView> listeners) => _listeners = listeners;

    private void TakeSample()
    {
        DateTimeOffset now = _time.GetUtcNow();
        lock (_lock)
        {
            foreach (ServerMetrics listener in _metrics.Listeners)
            {
                string name = listener.Listener ?? "";
                long succeeded = listener.HandshakesSucceeded;
                long[] failed = [.. Reasons.Select(listener.HandshakesFailedFor)];
                if (_last.TryGetValue(name, out var last))
                {
                    double seconds = Interval.TotalSeconds;
                    Dictionary<string, double> perReason = [];
                    for (int i = 0; i < failed.Length; i++)
                    {
                        if (failed[i] != last.Failed[i])
                        {
                            perReason[Reasons[i].Code()] = (failed[i] - last.Failed[i]) / seconds;
                        }
                    }

                    Queue<Sample> history = _history.TryGetValue(name, out var h) ? h : _history[name] = new Queue<Sample>();
                    history.Enqueue(new Sample(now, (succeeded - last.Succeeded) / seconds, perReason));
                    while (history.Count > Points)
                    {
                        history.Dequeue();
                    }
                }

                _last[name] = (succeeded, failed);
            }
        }
    }

    /// <summary>The <c>status.json</c> document for <paramref name="principal"/>.</summary>
    public byte[] ToJson(string principal)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("node", Environment.MachineName);
            json.WriteString("version", typeof(ServerStatus).Assembly.GetName().Version?.ToString() ?? "");
            json.WriteString("started", Started);
            json.WriteString("now", _time.GetUtcNow());
            json.WriteString("principal", principal);
            json.WriteNumber("interval_seconds", Interval.TotalSeconds);
            json.WriteString("ready", _notReady is null ? "ready" : _notReady);
            json.WriteStartArray("listeners");
            Dictionary<string, ServerMetrics> views = _metrics.Listeners.ToDictionary(l => l.Listener ?? "");
            foreach (ListenerView listener in _listeners)
            {
                ServerMetrics m = views[listener.Name];
                json.WriteStartObject();
                json.WriteString("name", listener.Name);
                json.WriteString("kind", listener.Kind);
                json.WriteString("endpoint", listener.EndPoint);
                json.WriteNumber("connections", m.LiveConnections);
                json.WriteNumber("handshakes", m.LiveHandshakes);
                json.WriteNumber("sessions", m.LiveSessions);
                json.WriteNumber("contexts", m.LiveContexts);
                json.WriteNumber("succeeded_total", m.HandshakesSucceeded);
                json.WriteNumber("failed_total", m.HandshakesFailed);
                json.WriteStartArray("history");
                lock (_lock)
                {
                    foreach (Sample sample in _history.TryGetValue(listener.Name, out var h) ? h : [])
                    {
                        json.WriteStartObject();
                        json.WriteString("t", sample.At);
                        json.WriteNumber("succeeded_per_second", Math.Round(sample.Succeeded, 3));
                        json.WriteStartObject("failed_per_second");
                        foreach ((string reason, double rate) in sample.Failed)
                        {
                            json.WriteNumber(reason, Math.Round(rate, 3));
                        }

                        json.WriteEndObject();
                        json.WriteEndObject();
                    }
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <inheritdoc />
    public void Dispose() => _timer.Dispose();

    private sealed record Sample(DateTimeOffset At, double Succeeded, Dictionary<string, double> Failed);
}

/// <summary>A listener as the status page names it.</summary>
public sealed record ListenerView(string Name, string Kind, string EndPoint);
