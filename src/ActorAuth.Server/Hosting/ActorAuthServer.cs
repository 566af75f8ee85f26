using System.Net;
using ActorAuth.Directory;
using ActorAuth.Protocol;
using ActorAuth.Security;
using ActorAuth.Security.Impersonation;
using ActorAuth.Server.Actors;
using ActorAuth.Server.Authorization;
using ActorAuth.Server.Cluster;
using ActorAuth.Server.Http;
using ActorAuth.Server.Metrics;
using ActorAuth.Server.Sessions;
using ActorAuth.Server.Tcp;
using Akka.Actor;
using Akka.Streams;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace ActorAuth.Server.Hosting;

/// <summary>
/// ActorAuth's listeners running inside an <see cref="ActorSystem"/> — ActorAuth's own or the host application's.
/// <see cref="StartAsync"/> applies the Kerberos paths, acquires the service credential (a missing keytab fails
/// start-up), binds the listener (a failed bind fails start-up), runs the directory step, starts the
/// <see cref="ConnectionSupervisor"/> and materializes the accept stream. It stops through the actor system's
/// CoordinatedShutdown (stop accepting in <c>service-unbind</c>, drain handshakes in <c>service-requests-done</c>,
/// stop its actors in <c>service-stop</c>) or through <see cref="StopAsync"/>, which stops only ActorAuth's own
/// actors and leaves the rest of the system running.
/// </summary>
public sealed partial class ActorAuthServer
{
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(10);

    private readonly IConfiguration _configuration;
    private readonly IReadOnlyList<ISessionHandler> _handlers;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _log;
    private readonly Lock _stopLock = new();
    private readonly Dictionary<string, ServerCredential> _credentials = [];
    private readonly ImpersonationSettings _impersonationSettings;
    private readonly DelegationSettings _delegationSettings;
    private ClientImpersonation? _impersonation;
    private ConfinedRoot? _readFileRoot;
    private IActorRef? _directory;
    private ClusterServices? _cluster;
    private IActorRef? _supervisor;
    private readonly List<IListenerStage> _stages = [];
    private readonly List<HttpEndpoints> _httpEndpoints = [];
    private MetricsExport? _metricsExport;
    private Task? _stopAccepting;
    private Task? _drain;
    private Task? _stopActors;

    /// <summary>Creates the server from the <c>actorauth</c> section of <paramref name="configuration"/>; nothing runs until <see cref="StartAsync"/>.</summary>
    public ActorAuthServer(IConfiguration configuration, IEnumerable<ISessionHandler> handlers, ServerMetrics metrics, ILoggerFactory loggers)
    {
        _configuration = configuration;
        _handlers = [.. handlers];
        Listeners = ListenerOptions.ListFrom(configuration);
        _impersonationSettings = ImpersonationSettings.From(configuration);
        _delegationSettings = DelegationSettings.From(configuration);
        Options = Listeners[0].Options;
        Metrics = metrics;
        Status = new ServerStatus(metrics);
        _loggers = loggers;
        _log = loggers.CreateLogger<ActorAuthServer>();
    }

    /// <summary>The settings of the first listener, which also hold the server-wide ones (package, provider, drain timeout).</summary>
    public ServerOptions Options { get; }

    /// <summary>The listeners the server serves, the first being the one the directory publishes.</summary>
    public IReadOnlyList<ListenerOptions> Listeners { get; }

    /// <summary>The server's counters and gauges.</summary>
    public ServerMetrics Metrics { get; }

    /// <summary>Readiness and the live history the operators' endpoints report.</summary>
    public ServerStatus Status { get; }

    /// <summary>The first listener's bound address; valid after start.</summary>
    public IPEndPoint EndPoint => EndPointOf(Listeners[0].Name);

    /// <summary>The bound address of the listener named <paramref name="listener"/>; valid after start.</summary>
    public IPEndPoint EndPointOf(string listener) =>
        _stages.Find(s => s.Listener == listener)?.EndPoint
        ?? throw new InvalidOperationException(_stages.Count == 0 ? "The server is not started." : $"No listener is named '{listener}'.");

    /// <summary>The parent of every connection's actors; valid after start.</summary>
    public IActorRef Connections => _supervisor ?? throw new InvalidOperationException("The server is not started.");

    /// <summary>Starts serving in <paramref name="system"/>. On failure everything it started is stopped again.</summary>
    /// <exception cref="SecurityPackageException">The service credential cannot be acquired (e.g. no keytab).</exception>
    /// <exception cref="IOException">The listen address cannot be bound.</exception>
    /// <exception cref="ServerStartupException">The directory step refused the service.</exception>
    public async Task StartAsync(ActorSystem system, CancellationToken cancellationToken = default)
    {
        KerberosEnvironment.Apply(KerberosSettings.Variables(_configuration));
        AccessPolicy policy = AccessPolicy.From(_configuration);
        DirectoryConfiguration? directory = DirectoryConfiguration.From(_configuration);
        string servicePrincipal;
        SessionHandlers[] handlers;
        try
        {
            Status.SetStep("loading credentials");
            // First: a server that must impersonate but cannot says so before it touches keys or ports.
            List<ISessionHandler> builtIns = BuiltInHandlers();
            foreach (string package in Listeners.Select(AcceptorPackage).Distinct())
            {
                _credentials[package] = ServerCredential.Acquire(
                    new ServerCredentialOptions
                    {
                        Package = package,
                        RequiredProtectionLevel = Options.RequiredProtectionLevel,
                        MessageProtection = Options.MessageProtection,
                        ConstrainedDelegationAccount = _delegationSettings.ConstrainedAccount,
                    },
                    Options.SecurityProvider);
            }

            ClusterSettings clusterSettings = ClusterSettings.From(_configuration);
            Status.SetStep(clusterSettings.Enabled ? "joining the cluster" : "starting the session registry");
            _cluster = await ClusterServices.StartAsync(system, clusterSettings, Metrics, _loggers, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<ISessionHandler> all = [.. builtIns, .. SessionsHandler.Create(_cluster.Registry, clusterSettings.RevokeTimeout), .. _handlers];
            handlers = [.. Listeners.Select(l => new SessionHandlers(all, l.Options.DefaultOperation))];

            Status.SetStep("binding listeners");
            var ids = new ConnectionIds();
            foreach (ListenerOptions listener in Listeners)
            {
                _stages.Add(await BindAsync(listener, ids, cancellationToken).ConfigureAwait(false));
            }

            foreach (IListenerStage stage in _stages)
            {
                _cluster.ShareRateLimit(stage.Listener, stage.RateLimiter);
            }

            Status.SetListeners([.. Listeners.Select((l, i) => new ListenerView(l.Name, l.Kind.Name(), _stages[i].EndPoint.ToString()))]);
            Status.SetStep("running the directory step");
            servicePrincipal = directory is null
                ? Options.ServicePrincipal
                : await RunDirectoryAsync(system, directory, (ushort)_stages[0].EndPoint.Port).ConfigureAwait(false);
        }
        catch
        {
            await StopActorsAsync().ConfigureAwait(false);
            throw;
        }

        _supervisor = system.ActorOf(ConnectionSupervisor.Props(), "actorauth-connections");
        IMaterializer materializer = system.Materializer(namePrefix: "actorauth-tcp");
        for (int i = 0; i < Listeners.Count; i++)
        {
            ListenerOptions listener = Listeners[i];
            IListenerStage stage = _stages[i];
            var settings = new SessionSettings(listener.Options with { ServicePrincipal = servicePrincipal }, policy, handlers[i], stage.Metrics, _loggers, listener.Kind)
            {
                Cluster = _cluster,
            };
            ServerCredential credential = _credentials[AcceptorPackage(listener)];
            stage.StartAccepting(_supervisor, settings, credential, materializer);
            if (listener.Http is { } http)
            {
                _log.LogInformation(
                    "ActorAuth listening on http://{EndPoint}/ ({Listener}, http): Negotiate via {Provider}, the server's proof to every client that asks for it, max token {MaxFrame} B, endpoints [{Endpoints}], documents {Root}",
                    stage.EndPoint, listener.Name, credential.Provider, listener.Options.MaxFrameLength, string.Join(", ", http.Endpoints.Order()),
                    http.DocumentsRoot ?? "(none)");
                continue;
            }

            _log.LogInformation(
                "ActorAuth listening on {EndPoint} ({Listener}, {Kind}): package {Package} via {Provider}, protection {Protection}, mutual authentication required, max frame {MaxFrame} B, max message {MaxMessage} B, handshake receive timeout {Timeout}, default operation {Default}",
                stage.EndPoint, listener.Name, listener.Kind.Name(), listener.Options.Package, credential.Provider, listener.Options.RequiredProtectionLevel,
                listener.Options.MaxFrameLength, listener.Options.MaxMessageLength, listener.Options.HandshakeReceiveTimeout, listener.Options.DefaultOperation);
        }

        JoinCoordinatedShutdown(system);
        Status.SetStep(null);
        _log.LogInformation("Service principal {Spn}; operations [{Operations}]; access rules from {Source}",
            servicePrincipal, string.Join(", ", handlers[0].All.Select(h => h.Operation)), policy.Source);
    }

    /// <summary>Binds one listener: Kestrel's HTTP server for kind http, the TCP stage for the others.</summary>
    private async Task<IListenerStage> BindAsync(ListenerOptions listener, ConnectionIds ids, CancellationToken cancellationToken)
    {
        ServerMetrics metrics = Metrics.ForListener(listener.Name);
        if (listener.Kind != WireDialect.Http)
        {
            return await TcpStage.BindAsync(listener.Name, listener.Options, metrics, ids, _loggers, cancellationToken).ConfigureAwait(false);
        }

        _metricsExport ??= new MetricsExport(Metrics);
        HttpEndpoints endpoints;
        try
        {
            endpoints = new HttpEndpoints(listener.Http!, Status, _metricsExport, _loggers.CreateLogger<HttpEndpoints>());
        }
        catch (IOException e)
        {
            throw new ServerStartupException($"{ListenerOptions.Section} '{listener.Name}': http.documents-root: {e.Message}", e);
        }

        _httpEndpoints.Add(endpoints);
        return await HttpStage.BindAsync(listener, metrics, ids, _loggers, endpoints, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The package a listener's credential accepts: its own, except that negotiate-stream and http listeners always
    /// accept SPNEGO, which NegotiateStream, browsers and curl send; with package Kerberos the handshake actor then
    /// admits only a context that negotiated Kerberos.
    /// </summary>
    private static string AcceptorPackage(ListenerOptions listener) =>
        listener.Kind is WireDialect.NegotiateStream or WireDialect.Http ? SecurityPackages.Negotiate : listener.Options.Package;

    /// <summary>
    /// Runs the directory step before the first connection is accepted: registers the SPNs on the service
    /// account, verifies them, publishes the SCP with the bound port. Returns the SPN the greeting names.
    /// </summary>
    /// <exception cref="ServerStartupException">The directory refused (an SPN held by another account) or stayed unreachable past the deadline with <c>required = on</c>.</exception>
    private async Task<string> RunDirectoryAsync(ActorSystem system, DirectoryConfiguration directory, ushort port)
    {
        DirectorySettings settings = directory.Settings with { Port = port, ServesHttp = Listeners.Any(l => l.Kind == WireDialect.Http) };
        IDirectoryBackend backend;
        try
        {
            backend = directory.CreateBackend();
        }
        catch (DirectoryUnavailableException e)
        {
            throw new ServerStartupException($"The {directory.BackendName} directory cannot be used: {e.Message}", e);
        }

        _directory = system.ActorOf(DirectoryActor.Props(settings, backend, _loggers.CreateLogger<DirectoryActor>()), "actorauth-directory");
        object reply = await _directory.Ask<object>(AwaitDirectory.Instance, settings.Deadline + TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        switch (reply)
        {
            case DirectoryReady ready:
                _log.LogInformation("Directory ({Backend}, account {Account}): SPNs [{Spns}], SCP {Scp}{Warning}",
                    directory.BackendName, backend.Account, string.Join(", ", ready.Spns),
                    ready.Scp is null ? "(none)" : ready.Scp.DistinguishedName ?? $"binding {string.Join(", ", ready.Scp.ServiceBindingInformation)}",
                    ready.Warning is null ? "" : "; " + ready.Warning);
                return ready.Spns.Count > 0 ? ready.Spns[0].ToString() : Options.ServicePrincipal;
            case DirectoryFailed failed:
                throw new ServerStartupException($"The service refuses to start: the {directory.BackendName} directory step failed: {failed.Reason}");
            default:
                throw new ServerStartupException($"The directory actor answered {reply}.");
        }
    }

    private void JoinCoordinatedShutdown(ActorSystem system)
    {
        CoordinatedShutdown shutdown = CoordinatedShutdown.Get(system);
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceUnbind, "actorauth-stop-accepting", () => Done(StopAcceptingAsync()));
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceRequestsDone, "actorauth-drain", () => Done(DrainAsync()));
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceStop, "actorauth-stop", () => Done(StopActorsAsync()));

        static async Task<Akka.Done> Done(Task step)
        {
            await step.ConfigureAwait(false);
            return Akka.Done.Instance;
        }
    }

    /// <summary>
    /// Stops this listener and only its actors: stops accepting, lets handshakes in flight finish (up to the drain
    /// timeout), removes the SCP if so configured, stops every connection's actor (each disposes its context and
    /// closes its socket) and releases the credential. The actor system and the host's other actors go on.
    /// Safe to call more than once, and alongside the system's CoordinatedShutdown, which runs the same steps.
    /// </summary>
    public async Task StopAsync()
    {
        await StopAcceptingAsync().ConfigureAwait(false);
        await DrainAsync().ConfigureAwait(false);
        await StopActorsAsync().ConfigureAwait(false);
    }

    private Task StopAcceptingAsync()
    {
        Status.SetStep("stopping");
        lock (_stopLock)
        {
            return _stopAccepting ??= Task.WhenAll(_stages.Select(s => s.StopAcceptingAsync()));
        }
    }

    private Task DrainAsync()
    {
        lock (_stopLock)
        {
            return _drain ??= DrainHandshakesAsync();
        }
    }

    private Task StopActorsAsync()
    {
        lock (_stopLock)
        {
            return _stopActors ??= StopActorsOnceAsync();
        }
    }

    /// <summary>Lets handshakes in flight finish, up to the drain deadline; what is left is closed with the actors.</summary>
    private async Task DrainHandshakesAsync()
    {
        await StopAcceptingAsync().ConfigureAwait(false);
        long deadline = Environment.TickCount64 + (long)Options.DrainTimeout.TotalMilliseconds;
        while (_supervisor is not null && Metrics.LiveHandshakes > 0 && Environment.TickCount64 < deadline)
        {
            await Task.Delay(20).ConfigureAwait(false);
        }

        if (Metrics.LiveHandshakes > 0)
        {
            _log.LogWarning("Drain deadline of {Drain} passed with {Handshakes} handshakes in progress; closing them", Options.DrainTimeout, Metrics.LiveHandshakes);
        }
    }

    private async Task StopActorsOnceAsync()
    {
        await DrainAsync().ConfigureAwait(false);
        if (_directory is not null)
        {
            // Leaves the SCP in place unless remove-scp-on-stop; bounded so a dead directory cannot block shutdown.
            try
            {
                await _directory.Ask<DirectoryStopped>(StopDirectory.Instance, ShutdownTimeout).ConfigureAwait(false);
            }
            catch (AskTimeoutException)
            {
                _log.LogWarning("The directory did not confirm its clean-up within {Timeout}; stopping anyway", ShutdownTimeout);
            }
        }

        // Stopping the supervisor stops every connection's actor first; each PostStop closes what it owned.
        if (_supervisor is not null && !await _supervisor.GracefulStop(ShutdownTimeout).ConfigureAwait(false))
        {
            _log.LogWarning("The connections' actors did not finish stopping within {Timeout}; closing what is left", ShutdownTimeout);
        }

        foreach (IListenerStage stage in _stages)
        {
            if (await stage.CloseRemainingAsync(ShutdownTimeout).ConfigureAwait(false) is > 0 and var open)
            {
                _log.LogWarning("{Open} connections of {Listener} were still closing {Timeout} after shutdown; the process exits anyway", open, stage.Listener, ShutdownTimeout);
            }

            await stage.DisposeAsync().ConfigureAwait(false);
        }

        foreach (ServerCredential credential in _credentials.Values)
        {
            credential.Dispose();
        }

        _impersonation?.Dispose();
        _metricsExport?.Dispose();
        Status.Dispose();
        foreach (HttpEndpoints endpoints in _httpEndpoints)
        {
            endpoints.Dispose();
        }

        _readFileRoot?.Dispose();
        if (_cluster is not null)
        {
            await _cluster.StopAsync().ConfigureAwait(false);
        }

        if (_supervisor is not null)
        {
            _log.LogInformation("ActorAuth stopped: {Succeeded} handshakes succeeded, {Failed} failed, {Contexts} contexts live",
                Metrics.HandshakesSucceeded, Metrics.HandshakesFailed, Metrics.LiveContexts);
        }
    }
}
