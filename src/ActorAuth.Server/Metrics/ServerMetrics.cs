using System.Diagnostics.Metrics;

namespace ActorAuth.Server.Metrics;

/// <summary>
/// The server's instruments, on the meter <c>ActorAuth.Server</c> (readable with dotnet-counters and
/// OpenTelemetry), and the live gauges as plain numbers for the stats line and the tests. The server's own
/// instance holds the totals; each listener records through <see cref="ForListener"/>, which shares the
/// instruments and tags every measurement with <c>listener</c>.
/// </summary>
public sealed class ServerMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "ActorAuth.Server";

    private readonly Instruments _instruments;
    private readonly ServerMetrics? _server;
    private readonly KeyValuePair<string, object?> _listener;
    private readonly List<ServerMetrics> _listeners = [];
    private long _liveConnections;
    private long _liveContexts;
    private long _liveSessions;
    private long _succeeded;
    private long _failed;
    private long _denied;
    private long _liveHandshakes;
    private long _refused;
    private long _liveDelegated;
    private readonly long[] _failedBy = new long[Enum.GetValues<TeardownReason>().Length];

    /// <summary>Creates the instruments on a new meter (one per server, so embedded servers don't mix their counts).</summary>
    public ServerMetrics(IMeterFactory? meterFactory = null)
    {
        _instruments = new Instruments(meterFactory?.Create(MeterName) ?? new Meter(MeterName), this);
        _listener = new("listener", null);
    }

    private ServerMetrics(ServerMetrics server, string listener)
    {
        _instruments = server._instruments;
        _server = server;
        _listener = new("listener", listener);
    }

    /// <summary>The listener's view: its own live numbers, the server's totals kept with them, measurements tagged with its name.</summary>
    public ServerMetrics ForListener(string name)
    {
        var listener = new ServerMetrics(this, name);
        lock (_listeners)
        {
            _listeners.Add(listener);
        }

        return listener;
    }

    /// <summary>The listeners' views, in the order they were made.</summary>
    public IReadOnlyList<ServerMetrics> Listeners
    {
        get
        {
            lock (_listeners)
            {
                return [.. _listeners];
            }
        }
    }

    /// <summary>The cluster node these are the metrics of (<c>host:port</c>), set at start with the cluster on; the Prometheus export labels every series with it.</summary>
    public string? Node { get; internal set; }

    /// <summary>The meter the instruments are on: what an exporter listens to.</summary>
    public Meter Meter => _instruments.Meter;

    /// <summary>Handshakes that failed for <paramref name="reason"/> since start.</summary>
    public long HandshakesFailedFor(TeardownReason reason) => Interlocked.Read(ref _failedBy[(int)reason]);

    /// <summary>The listener this view records for; null on the server's totals.</summary>
    public string? Listener => (string?)_listener.Value;

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

    /// <summary>Handshakes in progress: accepted connections not yet authenticated or torn down.</summary>
    public long LiveHandshakes => Interlocked.Read(ref _liveHandshakes);

    /// <summary>Credentials clients delegated that sessions hold now: zero once those sessions are gone.</summary>
    public long LiveDelegatedCredentials => Interlocked.Read(ref _liveDelegated);

    /// <summary>Connections refused at accept since start.</summary>
    public long AdmissionsRefused => Interlocked.Read(ref _refused);

    /// <summary>Requests the access check refused since start.</summary>
    public long AccessDenied => Interlocked.Read(ref _denied);

    internal void ConnectionOpened() => Add(static m => ref m._liveConnections, 1);

    /// <summary>A handshake began: at accept on a TCP listener, with a context's first token on an HTTP one.</summary>
    internal void HandshakeStarted()
    {
        Add(static m => ref m._liveHandshakes, 1);
        _instruments.HandshakesStarted.Add(1, _listener);
    }

    /// <summary>An HTTP listener answered a request with <paramref name="status"/>.</summary>
    internal void HttpResponded(int status) => _instruments.HttpRequests.Add(1, _listener, new("status", StatusCodes.Text(status)));

    /// <summary>An HTTP listener refused a request or connection for <paramref name="reason"/> (kebab-case).</summary>
    internal void HttpRefused(string reason) => _instruments.HttpRefusals.Add(1, _listener, new("reason", reason));

    internal void ConnectionClosed(string phase, TeardownReason reason)
    {
        Add(static m => ref m._liveConnections, -1);
        _instruments.ConnectionsClosed.Add(1, _listener, new("phase", phase), new("reason", reason.Code()));
    }

    internal void ContextCreated() => Add(static m => ref m._liveContexts, 1);

    internal void ContextDisposed() => Add(static m => ref m._liveContexts, -1);

    internal void SessionStarted() => Add(static m => ref m._liveSessions, 1);

    internal void SessionEnded() => Add(static m => ref m._liveSessions, -1);

    internal void DelegatedCredentialHeld() => Add(static m => ref m._liveDelegated, 1);

    internal void DelegatedCredentialReleased() => Add(static m => ref m._liveDelegated, -1);

    internal void AdmissionRefused(string reason)
    {
        Add(static m => ref m._refused, 1);
        _instruments.AdmissionsRefused.Add(1, _listener, new("reason", reason));
    }

    internal void MessageReceived(int plaintextBytes) => Message("in", plaintextBytes);

    internal void MessageSent(int plaintextBytes) => Message("out", plaintextBytes);

    internal void RequestDenied(string operation)
    {
        Add(static m => ref m._denied, 1);
        _instruments.AccessDenied.Add(1, _listener, new("operation", operation));
    }

    internal void HandshakeSucceeded(TimeSpan duration)
    {
        Add(static m => ref m._succeeded, 1);
        Add(static m => ref m._liveHandshakes, -1);
        _instruments.HandshakesSucceeded.Add(1, _listener);
        _instruments.HandshakeDuration.Record(duration.TotalMilliseconds, _listener);
    }

    internal void HandshakeFailed(TeardownReason reason)
    {
        Add(static m => ref m._failed, 1);
        Interlocked.Increment(ref _failedBy[(int)reason]);
        if (_server is not null)
        {
            Interlocked.Increment(ref _server._failedBy[(int)reason]);
        }

        Add(static m => ref m._liveHandshakes, -1);
        _instruments.HandshakesFailed.Add(1, _listener, new("reason", reason.Code()));
    }

    private void Message(string direction, int plaintextBytes)
    {
        _instruments.Messages.Add(1, _listener, new("direction", direction));
        _instruments.MessageBytes.Add(plaintextBytes, _listener, new("direction", direction));
    }

    private delegate ref long Field(ServerMetrics metrics);

    /// <summary>Moves a number of this view and, for a listener, the server's total with it.</summary>
    private void Add(Field field, long delta)
    {
        Interlocked.Add(ref field(this), delta);
        if (_server is not null)
        {
            Interlocked.Add(ref field(_server), delta);
        }
    }

    private IEnumerable<Measurement<long>> PerListener(Func<ServerMetrics, long> value)
    {
        ServerMetrics[] listeners;
        lock (_listeners)
        {
            listeners = [.. _listeners];
        }

        return listeners.Select(l => new Measurement<long>(value(l), l._listener));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_server is null)
        {
            _instruments.Meter.Dispose();
        }
    }

    /// <summary>Status codes as tag values without a string per request.</summary>
    private static class StatusCodes
    {
        private static readonly string[] Texts = [.. Enumerable.Range(0, 600).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];

        public static string Text(int status) => (uint)status < Texts.Length ? Texts[status] : status.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The instruments, made once per server and shared by its listeners' views.</summary>
    private sealed class Instruments
    {
        public Instruments(Meter meter, ServerMetrics server)
        {
            Meter = meter;
            HandshakesStarted = meter.CreateCounter<long>("actorauth.handshakes.started", description: "Handshakes begun (connections accepted).");
            HandshakesSucceeded = meter.CreateCounter<long>("actorauth.handshakes.succeeded", description: "Handshakes that ended mutually authenticated.");
            HandshakesFailed = meter.CreateCounter<long>("actorauth.handshakes.failed", description: "Handshakes that failed, tagged by reason.");
            ConnectionsClosed = meter.CreateCounter<long>("actorauth.connections.closed", description: "Connections torn down, tagged by phase and reason.");
            HandshakeDuration = meter.CreateHistogram<double>("actorauth.handshake.duration", unit: "ms", description: "Time from accept to a completed context.");
            Messages = meter.CreateCounter<long>("actorauth.messages", description: "Protected messages, tagged by direction (in/out).");
            MessageBytes = meter.CreateCounter<long>("actorauth.messages.bytes", unit: "By", description: "Plaintext bytes of protected messages, tagged by direction.");
            AdmissionsRefused = meter.CreateCounter<long>("actorauth.admissions.refused", description: "Connections refused at accept, tagged by reason (max-connections, max-handshakes, rate-limit).");
            AccessDenied = meter.CreateCounter<long>("actorauth.access.denied", description: "Requests the access check refused, tagged by operation.");
            HttpRequests = meter.CreateCounter<long>("actorauth.http.requests", description: "HTTP requests answered, tagged by status code.");
            HttpRefusals = meter.CreateCounter<long>("actorauth.http.refusals", description: "HTTP requests and connections refused, tagged by reason.");
            meter.CreateObservableUpDownCounter("actorauth.handshakes.live", () => server.PerListener(l => l.LiveHandshakes), description: "Handshakes in progress.");
            meter.CreateObservableUpDownCounter("actorauth.connections.live", () => server.PerListener(l => l.LiveConnections), description: "Open client connections.");
            meter.CreateObservableUpDownCounter("actorauth.contexts.live", () => server.PerListener(l => l.LiveContexts), description: "Security contexts not yet disposed.");
            meter.CreateObservableUpDownCounter("actorauth.sessions.live", () => server.PerListener(l => l.LiveSessions), description: "Authenticated sessions.");
            meter.CreateObservableUpDownCounter("actorauth.delegated_credentials.live", () => server.PerListener(l => l.LiveDelegatedCredentials), description: "Credentials clients delegated, held by their sessions.");
        }

        public Meter Meter { get; }
        public Counter<long> HandshakesStarted { get; }
        public Counter<long> HandshakesSucceeded { get; }
        public Counter<long> HandshakesFailed { get; }
        public Counter<long> ConnectionsClosed { get; }
        public Histogram<double> HandshakeDuration { get; }
        public Counter<long> Messages { get; }
        public Counter<long> MessageBytes { get; }
        public Counter<long> AdmissionsRefused { get; }
        public Counter<long> AccessDenied { get; }
        public Counter<long> HttpRequests { get; }
        public Counter<long> HttpRefusals { get; }
    }
}
