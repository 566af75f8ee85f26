using System.Net;
using ActorAuth.Actors;
using ActorAuth.Directory;
using ActorAuth.Security;
using ActorAuth.Server.Actors;
using ActorAuth.Server.Authorization;
using ActorAuth.Server.Metrics;
using ActorAuth.Server.Sessions;
using ActorAuth.Server.Tcp;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorAuth.Server.Hosting;

/// <summary>
/// The whole server as a hosted service: at start it applies the Kerberos paths, acquires the service
/// credential (a missing keytab fails start-up), starts the actor system with its
/// <see cref="ConnectionSupervisor"/>, and binds the listener (a failed bind fails start-up). At stop it
/// stops accepting, stops every connection's actor (each disposes its context and closes its socket),
/// and terminates the actor system.
/// </summary>
public sealed class ActorAuthServer : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(10);

    private readonly IConfiguration _configuration;
    private readonly IEnumerable<ISessionHandler> _handlers;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _log;
    private ServerCredential? _credential;
    private ActorSystem? _system;
    private IActorRef? _directory;
    private TcpStage? _tcp;

    /// <summary>Creates the server from configuration; nothing runs until <see cref="StartAsync"/>.</summary>
    public ActorAuthServer(IConfiguration configuration, IEnumerable<ISessionHandler> handlers, ServerMetrics metrics, ILoggerFactory loggers)
    {
        _configuration = configuration;
        _handlers = handlers;
        Options = ServerOptions.From(configuration);
        Metrics = metrics;
        _loggers = loggers;
        _log = loggers.CreateLogger<ActorAuthServer>();
    }

    /// <summary>The settings in force.</summary>
    public ServerOptions Options { get; }

    /// <summary>The server's counters and gauges.</summary>
    public ServerMetrics Metrics { get; }

    /// <summary>The bound address; valid after start.</summary>
    public IPEndPoint EndPoint => _tcp?.EndPoint ?? throw new InvalidOperationException("The server is not started.");

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        KerberosEnvironment.Apply(KerberosSettings.Variables(_configuration));
        AccessPolicy policy = AccessPolicy.From(_configuration);
        DirectoryConfiguration? directory = DirectoryConfiguration.From(_configuration);
        _credential = ServerCredential.Acquire(
            new ServerCredentialOptions { Package = Options.Package, RequiredProtectionLevel = Options.RequiredProtectionLevel },
            Options.SecurityProvider);

        _system = ActorSystem.Create("actorauth");
        var handlers = new SessionHandlers(_handlers, Options.DefaultOperation);
        ServerOptions options;
        try
        {
            _tcp = await TcpStage.BindAsync(Options, Metrics, _loggers, cancellationToken).ConfigureAwait(false);
            options = directory is null
                ? Options
                : Options with { ServicePrincipal = await RunDirectoryAsync(directory, (ushort)_tcp.EndPoint.Port).ConfigureAwait(false) };
        }
        catch
        {
            if (_tcp is not null)
            {
                await _tcp.DisposeAsync().ConfigureAwait(false);
                _tcp = null;
            }

            await _system.Terminate().ConfigureAwait(false);
            _credential.Dispose();
            throw;
        }

        var settings = new SessionSettings(options, policy, handlers, Metrics, _loggers);
        _tcp.StartAccepting(_system.ActorOf(ConnectionSupervisor.Props(_credential, settings), "connections"));

        _log.LogInformation(
            "ActorAuth listening on {EndPoint}: package {Package} via {Provider}, protection {Protection}, mutual authentication required, max frame {MaxFrame} B, handshake receive timeout {Timeout}",
            _tcp.EndPoint, Options.Package, _credential.Provider, Options.RequiredProtectionLevel, Options.MaxFrameLength, Options.HandshakeReceiveTimeout);
        _log.LogInformation("Service principal {Spn}; operations [{Operations}] (default {Default}); access rules from {Source}",
            options.ServicePrincipal,
            string.Join(", ", settings.Handlers.All.Select(h => h.Operation)), Options.DefaultOperation, policy.Source);
    }

    /// <summary>
    /// Runs the directory step before the first connection is accepted: registers the SPNs on the service
    /// account, verifies them, publishes the SCP with the bound port. Returns the SPN the greeting names.
    /// </summary>
    /// <exception cref="ServerStartupException">The directory refused (an SPN held by another account) or stayed unreachable past the deadline with <c>required = on</c>.</exception>
    private async Task<string> RunDirectoryAsync(DirectoryConfiguration directory, ushort port)
    {
        DirectorySettings settings = directory.Settings with { Port = port };
        IDirectoryBackend backend;
        try
        {
            backend = directory.CreateBackend();
        }
        catch (DirectoryUnavailableException e)
        {
            throw new ServerStartupException($"The {directory.BackendName} directory cannot be used: {e.Message}", e);
        }

        _directory = _system!.ActorOf(DirectoryActor.Props(settings, backend, _loggers.CreateLogger<DirectoryActor>()), "directory");
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

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_tcp is not null)
        {
            await _tcp.StopAcceptingAsync().ConfigureAwait(false);
            await DrainHandshakesAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_directory is not null)
        {
            // Leaves the SCP in place unless remove-scp-on-stop; bounded so a dead directory cannot block shutdown.
            try
            {
                await _directory.Ask<DirectoryStopped>(StopDirectory.Instance, TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
            }
            catch (AskTimeoutException)
            {
                _log.LogWarning("The directory did not confirm its clean-up within 10 s; stopping anyway");
            }
        }

        if (_system is not null)
        {
            try
            {
                await _system.Terminate().WaitAsync(ShutdownTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                _log.LogWarning("The actor system did not finish stopping within {Timeout}; closing what is left", ShutdownTimeout);
            }
        }

        if (_tcp is not null && await _tcp.CloseRemainingAsync(ShutdownTimeout).ConfigureAwait(false) is > 0 and var open)
        {
            _log.LogWarning("{Open} connections were still closing {Timeout} after shutdown; the process exits anyway", open, ShutdownTimeout);
        }

        _credential?.Dispose();
        _log.LogInformation("ActorAuth stopped: {Succeeded} handshakes succeeded, {Failed} failed, {Contexts} contexts live",
            Metrics.HandshakesSucceeded, Metrics.HandshakesFailed, Metrics.LiveContexts);
    }

    /// <summary>Lets handshakes in flight finish, up to the drain deadline; what is left is closed with the actor system.</summary>
    private async Task DrainHandshakesAsync(CancellationToken cancellationToken)
    {
        long deadline = Environment.TickCount64 + (long)Options.DrainTimeout.TotalMilliseconds;
        while (Metrics.LiveHandshakes > 0 && Environment.TickCount64 < deadline && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(20, CancellationToken.None).ConfigureAwait(false);
        }

        if (Metrics.LiveHandshakes > 0)
        {
            _log.LogWarning("Drain deadline of {Drain} passed with {Handshakes} handshakes in progress; closing them", Options.DrainTimeout, Metrics.LiveHandshakes);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_tcp is not null)
        {
            await _tcp.DisposeAsync().ConfigureAwait(false);
        }
    }
}
