using Akka.Actor;
using Microsoft.Extensions.Logging;

namespace ActorAuth.Directory;

/// <summary>
/// Registers the service in the directory before the listeners accept connections. On start it composes the SPNs
/// (<see cref="DirectorySettings.ComposeSpns"/>), registers the missing ones on the service account, verifies the
/// account holds them all, and publishes the SCP; then answers every <see cref="AwaitDirectory"/> — earlier or later —
/// with <see cref="DirectoryReady"/> or <see cref="DirectoryFailed"/>.
/// An unreachable directory is retried with exponential backoff on the system's scheduler until the deadline; then
/// <see cref="DirectorySettings.Required"/> decides between failing and serving degraded. Any other failure (an SPN
/// on another account, refused access, an invalid name) is final at once: retrying cannot fix configuration.
/// </summary>
public sealed class DirectoryActor : ReceiveActor, IWithTimers
{
    private readonly DirectorySettings _settings;
    private readonly IDirectoryBackend _backend;
    private readonly ILogger _logger;
    private readonly List<IActorRef> _waiting = [];
    private DateTimeOffset _startedAt;
    private object? _outcome;
    private ServiceConnectionPoint? _publishedScp;

    /// <summary>Creates the actor; use <see cref="Props(DirectorySettings, IDirectoryBackend, ILogger)"/>.</summary>
    public DirectoryActor(DirectorySettings settings, IDirectoryBackend backend, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(logger);
        _settings = settings;
        _backend = backend;
        _logger = logger;

        Receive<AwaitDirectory>(_ => Answer(Sender));
        ReceiveAsync<Attempt>(RunAttemptAsync);
        ReceiveAsync<StopDirectory>(_ => StopAsync());
    }

    /// <summary>Props for a directory actor acting through <paramref name="backend"/>.</summary>
    public static Props Props(DirectorySettings settings, IDirectoryBackend backend, ILogger logger) =>
        Akka.Actor.Props.Create<DirectoryActor>(settings, backend, logger);

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <inheritdoc />
    protected override void PreStart()
    {
        // The scheduler's clock, so that specs on Akka's TestScheduler move the deadline with virtual time.
        _startedAt = Context.System.Scheduler.Now;
        Self.Tell(new Attempt(1));
    }

    private void Answer(IActorRef asker)
    {
        if (_outcome is null)
        {
            _waiting.Add(asker);
        }
        else
        {
            asker.Tell(_outcome);
        }
    }

    private void Complete(object outcome)
    {
        _outcome = outcome;
        foreach (var asker in _waiting)
        {
            asker.Tell(outcome);
        }

        _waiting.Clear();
    }

    private async Task RunAttemptAsync(Attempt attempt)
    {
        try
        {
            var spns = _settings.ComposeSpns();
            _logger.LogInformation("Directory attempt {Attempt}: registering {Spns} on account {Account}", attempt.Number, Describe(spns), _backend.Account);
            await _backend.RegisterSpnsAsync(spns, CancellationToken.None);

            var held = await _backend.GetAccountSpnsAsync(CancellationToken.None);
            var missing = spns.Where(spn => !held.Any(text => ServicePrincipalName.TryParse(text, out var heldSpn, out _) && heldSpn == spn)).ToList();
            if (missing.Count > 0)
            {
                Fail($"Account {_backend.Account} does not hold {Describe(missing)} after registering them; it holds {(held.Count == 0 ? "no SPNs" : string.Join(", ", held))}.");
                return;
            }

            _logger.LogInformation("Account {Account} holds {Spns}", _backend.Account, Describe(spns));
            _publishedScp = await _backend.PublishScpAsync(_settings.ComposeScp(), CancellationToken.None);
            _logger.LogInformation(
                "Published SCP {Dn} for account {Account}: keywords {Keywords}, binding {Binding}",
                Where(_publishedScp),
                _backend.Account,
                string.Join(", ", _publishedScp.Keywords),
                string.Join(", ", _publishedScp.ServiceBindingInformation));
            Complete(new DirectoryReady(spns, _publishedScp));
        }
        catch (DirectoryUnavailableException e)
        {
            RetryOrGiveUp(attempt, e);
        }
        catch (Exception e) when (e is SpnConflictException or SpnFormatException)
        {
            Fail(e.Message);
        }
#pragma warning disable CA1031 // Any other directory error (access denied, schema) is reported, not thrown: a restart would only repeat it.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Fail($"The directory refused the registration for account {_backend.Account}: {e.Message}");
        }
    }

    private void RetryOrGiveUp(Attempt attempt, DirectoryUnavailableException error)
    {
        var elapsed = Context.System.Scheduler.Now - _startedAt;
        var remaining = _settings.Deadline - elapsed;
        if (remaining <= TimeSpan.Zero)
        {
            GiveUp(attempt, error);
            return;
        }

        // The last retry lands on the deadline rather than after it.
        var delay = RetryBackoff.DelayBefore(attempt.Number, _settings.InitialRetryDelay, _settings.MaxRetryDelay);
        delay = delay < remaining ? delay : remaining;
        Timers.StartSingleTimer(nameof(Attempt), new Attempt(attempt.Number + 1), delay);
        _logger.LogWarning(
            "Directory unreachable for account {Account} (attempt {Attempt}): {Error}; retrying in {Delay} ms",
            _backend.Account,
            attempt.Number,
            error.Message,
            (long)delay.TotalMilliseconds);
    }

    private void GiveUp(Attempt attempt, DirectoryUnavailableException error)
    {
        var summary = $"The directory stayed unreachable for {_settings.Deadline.TotalSeconds:0.###} s ({attempt.Number} attempts) for account {_backend.Account}: {error.Message}";
        if (_settings.Required)
        {
            Fail(summary + "; directory.required is on, so the service does not start.");
            return;
        }

        var warning = summary + "; directory.required is off, so the service starts without verified SPNs or a published SCP.";
        _logger.LogWarning("{Warning}", warning);
        Complete(new DirectoryReady([], null, warning));
    }

    private void Fail(string reason)
    {
        _logger.LogError("Directory registration failed: {Reason}", reason);
        Complete(new DirectoryFailed(reason));
    }

    private async Task StopAsync()
    {
        var requester = Sender;
        Timers.CancelAll();
        if (_settings.RemoveScpOnStop && _publishedScp is not null)
        {
            try
            {
                await _backend.RemoveScpAsync(_publishedScp, CancellationToken.None);
                _logger.LogInformation("Removed SCP {Dn} for account {Account}", Where(_publishedScp), _backend.Account);
            }
#pragma warning disable CA1031 // Shutdown goes on whatever the directory says; the SCP is only stale, and clients verify the SPN.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _logger.LogWarning("Could not remove SCP {Dn} for account {Account}: {Error}", Where(_publishedScp), _backend.Account, e.Message);
            }
        }

        requester.Tell(DirectoryStopped.Instance);
        Context.Stop(Self);
    }

    private static string Describe(IEnumerable<ServicePrincipalName> spns) => string.Join(", ", spns);

    /// <summary>The SCP's DN, or its name in the dev realm's file store (which has no DNs): each instance has its own.</summary>
    private static string Where(ServiceConnectionPoint scp) => scp.DistinguishedName ?? $"{ScpNaming.Of(scp)} (dev realm file store)";

    /// <summary>Runs registration attempt <see cref="Number"/> (1-based).</summary>
    private sealed record Attempt(int Number);
}
