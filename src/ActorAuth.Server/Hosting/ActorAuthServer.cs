using System.Net;
using ActorAuth.Actors;
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
        var settings = new SessionSettings(Options, policy, new SessionHandlers(_handlers, Options.DefaultOperation), Metrics, _loggers);
        _credential = ServerCredential.Acquire(
            new ServerCredentialOptions { Package = Options.Package, RequiredProtectionLevel = Options.RequiredProtectionLevel },
            Options.SecurityProvider);

        _system = ActorSystem.Create("actorauth");
        IActorRef supervisor = _system.ActorOf(ConnectionSupervisor.Props(_credential, settings), "connections");
        try
        {
            _tcp = await TcpStage.BindAsync(supervisor, Options, Metrics, _loggers, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await _system.Terminate().ConfigureAwait(false);
            _credential.Dispose();
            throw;
        }

        _log.LogInformation(
            "ActorAuth listening on {EndPoint}: package {Package} via {Provider}, protection {Protection}, mutual authentication required, max frame {MaxFrame} B, handshake receive timeout {Timeout}",
            _tcp.EndPoint, Options.Package, _credential.Provider, Options.RequiredProtectionLevel, Options.MaxFrameLength, Options.HandshakeReceiveTimeout);
        _log.LogInformation("Operations [{Operations}] (default {Default}); access rules from {Source}",
            string.Join(", ", settings.Handlers.All.Select(h => h.Operation)), Options.DefaultOperation, policy.Source);
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_tcp is not null)
        {
            await _tcp.StopAcceptingAsync().ConfigureAwait(false);
        }

        if (_system is not null)
        {
            await _system.Terminate().WaitAsync(ShutdownTimeout, cancellationToken).ConfigureAwait(false);
        }

        if (_tcp is not null)
        {
            await _tcp.WhenConnectionsClosed(ShutdownTimeout).ConfigureAwait(false);
        }

        _credential?.Dispose();
        _log.LogInformation("ActorAuth stopped: {Succeeded} handshakes succeeded, {Failed} failed, {Contexts} contexts live",
            Metrics.HandshakesSucceeded, Metrics.HandshakesFailed, Metrics.LiveContexts);
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
