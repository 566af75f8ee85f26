using System.Diagnostics.Metrics;

namespace ActorAuth.Server.Metrics;

/// <summary>
/// The server's instruments, on the meter <c>ActorAuth.Server</c> (readable with dotnet-counters and
/// OpenTelemetry), and the live gauges as plain numbers for the stats line and the tests.
/// </summary>
public sealed class ServerMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "ActorAuth.Server";

    private readonly Meter _meter;
    private readonly Counter<long> _handshakesStarted;
    private readonly Counter<long> _handshakesSucceeded;
    private readonly Counter<long> _handshakesFailed;
    private readonly Counter<long> _connectionsClosed;
    private readonly Histogram<double> _handshakeDuration;
    private readonly Counter<long> _messages;
    private readonly Counter<long> _messageBytes;
    private readonly Counter<long> _accessDenied;
    private readonly Counter<long> _admissionsRefused;
    private long _liveConnections;
    private long _liveContexts;
    private long _liveSessions;
    private long _succeeded;
    private long _failed;
    private long _denied;
    private long _liveHandshakes;
    private long _refused;

    /// <summary>Creates the instruments on a new meter (one per server, so embedded servers don't mix their counts).</summary>
    public ServerMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _handshakesStarted = _meter.CreateCounter<long>("actorauth.handshakes.started", description: "Handshakes begun (connections accepted).");
        _handshakesSucceeded = _meter.CreateCounter<long>("actorauth.handshakes.succeeded", description: "Handshakes that ended mutually authenticated.");
        _handshakesFailed = _meter.CreateCounter<long>("actorauth.handshakes.failed", description: "Handshakes that failed, tagged by reason.");
        _connectionsClosed = _meter.CreateCounter<long>("actorauth.connections.closed", description: "Connections torn down, tagged by phase and reason.");
        _handshakeDuration = _meter.CreateHistogram<double>("actorauth.handshake.duration", unit: "ms", description: "Time from accept to a completed context.");
        _messages = _meter.CreateCounter<long>("actorauth.messages", description: "Protected messages, tagged by direction (in/out).");
        _messageBytes = _meter.CreateCounter<long>("actorauth.messages.bytes", unit: "By", description: "Plaintext bytes of protected messages, tagged by direction.");
        _admissionsRefused = _meter.CreateCounter<long>("actorauth.admissions.refused", description: "Connections refused at accept, tagged by reason (max-connections, max-handshakes, rate-limit).");
        _meter.CreateObservableUpDownCounter("actorauth.handshakes.live", () => LiveHandshakes, description: "Handshakes in progress.");
        _accessDenied = _meter.CreateCounter<long>("actorauth.access.denied", description: "Requests the access check refused, tagged by operation.");
        _meter.CreateObservableUpDownCounter("actorauth.connections.live", () => LiveConnections, description: "Open client connections.");
        _meter.CreateObservableUpDownCounter("actorauth.contexts.live", () => LiveContexts, description: "Security contexts not yet disposed.");
        _meter.CreateObservableUpDownCounter("actorauth.sessions.live", () => LiveSessions, description: "Authenticated sessions.");
    }

    /// <summary>Open client connections.</summary>
    public long LiveConnections => Interlocked.Read(ref _liveConnections);

    /// <summary>Security contexts created and not yet disposed: zero once every connection is gone.</summary>
    public long LiveContexts => Interlocked.Read(ref _liveContexts);

    /// <summary>Authenticated sessions open now.</summary>
    public long LiveSessions => Interlocked.Read(ref _liveSessions);

    /// <summary>Handshakes that succeeded since start.</summary>
    public long HandshakesSucceeded => Interlocked.Read(ref _succeeded);

    /// <summary>Handshakes that failed since start.</summary>
    public long HandshakesFailed => Interlocked.Read(ref _failed);

    internal void ConnectionOpened()
    {
        Interlocked.Increment(ref _liveConnections);
        Interlocked.Increment(ref _liveHandshakes);
        _handshakesStarted.Add(1);
    }

    internal void ConnectionClosed(string phase, TeardownReason reason)
    {
        Interlocked.Decrement(ref _liveConnections);
        _connectionsClosed.Add(1, new("phase", phase), new("reason", reason.Code()));
    }

    internal void ContextCreated() => Interlocked.Increment(ref _liveContexts);

    internal void ContextDisposed() => Interlocked.Decrement(ref _liveContexts);

    internal void SessionStarted() => Interlocked.Increment(ref _liveSessions);

    internal void SessionEnded() => Interlocked.Decrement(ref _liveSessions);

    /// <summary>Handshakes in progress: accepted connections not yet authenticated or torn down.</summary>
    public long LiveHandshakes => Interlocked.Read(ref _liveHandshakes);

    /// <summary>Connections refused at accept since start.</summary>
    public long AdmissionsRefused => Interlocked.Read(ref _refused);

    internal void AdmissionRefused(string reason)
    {
        Interlocked.Increment(ref _refused);
        _admissionsRefused.Add(1, new KeyValuePair<string, object?>("reason", reason));
    }

    /// <summary>Requests the access check refused since start.</summary>
    public long AccessDenied => Interlocked.Read(ref _denied);

    internal void MessageReceived(int plaintextBytes)
    {
        _messages.Add(1, new KeyValuePair<string, object?>("direction", "in"));
        _messageBytes.Add(plaintextBytes, new KeyValuePair<string, object?>("direction", "in"));
    }

    internal void MessageSent(int plaintextBytes)
    {
        _messages.Add(1, new KeyValuePair<string, object?>("direction", "out"));
        _messageBytes.Add(plaintextBytes, new KeyValuePair<string, object?>("direction", "out"));
    }

    internal void RequestDenied(string operation)
    {
        Interlocked.Increment(ref _denied);
        _accessDenied.Add(1, new KeyValuePair<string, object?>("operation", operation));
    }

    internal void HandshakeSucceeded(TimeSpan duration)
    {
        Interlocked.Increment(ref _succeeded);
        Interlocked.Decrement(ref _liveHandshakes);
        _handshakesSucceeded.Add(1);
        _handshakeDuration.Record(duration.TotalMilliseconds);
    }

    internal void HandshakeFailed(TeardownReason reason)
    {
        Interlocked.Increment(ref _failed);
        Interlocked.Decrement(ref _liveHandshakes);
        _handshakesFailed.Add(1, new KeyValuePair<string, object?>("reason", reason.Code()));
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
