namespace ActorAuth.Actors;

/// <summary>
/// A hierarchy of actors with its clock, scheduler, event stream and dead letters. Top-level actors live under the
/// user guardian (<c>/user</c>), which supervises them with <see cref="SupervisorStrategy.DefaultStrategy"/>.
/// Mailboxes run on the shared .NET thread pool: an actor costs memory, not a thread.
/// </summary>
public sealed class ActorSystem
{
    private readonly ActorCell _guardian;
    private readonly ActorPath _tempPath;
    private readonly TaskCompletionSource _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _tempCount;

    private ActorSystem(string name, ActorSystemSettings settings)
    {
        Name = name;
        Settings = settings;
        var root = ActorPath.Root(name);
        _tempPath = root.Child("temp");
        DeadLetters = new DeadLetterActorRef(this, root.Child("deadLetters"));
        Scheduler = new TimeProviderScheduler(settings.TimeProvider);
        _guardian = new ActorCell(this, new RootGuardianRef(this, root), Props.Create<GuardianActor>(), root.Child("user"));
        _guardian.Start();
    }

    /// <summary>The system's name, the first element of every actor path.</summary>
    public string Name { get; }

    /// <summary>The settings the system was created with.</summary>
    public ActorSystemSettings Settings { get; }

    /// <summary>The clock for all kernel timing (scheduler, receive and ask timeouts, restart windows).</summary>
    public TimeProvider TimeProvider => Settings.TimeProvider;

    /// <summary>Delayed and periodic Tells, timed by <see cref="TimeProvider"/>.</summary>
    public IScheduler Scheduler { get; }

    /// <summary>Publish/subscribe by event type; also carries <see cref="Error"/>, <see cref="UnhandledMessage"/> and <see cref="DeadLetter"/>.</summary>
    public EventStream EventStream { get; } = new();

    /// <summary>Where undeliverable messages go; everything told to it is published as <see cref="DeadLetter"/>.</summary>
    public IActorRef DeadLetters { get; }

    /// <summary>Completes when every actor has stopped after <see cref="Terminate"/> (or after the user guardian failed).</summary>
    public Task WhenTerminated => _terminated.Task;

    /// <summary>Creates and starts a system.</summary>
    /// <exception cref="ArgumentException">The name is empty or contains '/'.</exception>
    public static ActorSystem Create(string name, ActorSystemSettings? settings = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException("A system name must not contain '/'.", nameof(name));
        }

        settings ??= new ActorSystemSettings();
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Throughput, 1, nameof(settings));
        ArgumentNullException.ThrowIfNull(settings.TimeProvider, nameof(settings));
        return new ActorSystem(name, settings);
    }

    /// <summary>Creates a top-level actor under the user guardian; safe from any thread.</summary>
    /// <exception cref="InvalidActorNameException">The name is invalid or taken by a living top-level actor.</exception>
    /// <exception cref="InvalidOperationException">The system is terminating.</exception>
    public IActorRef ActorOf(Props props, string? name = null) => _guardian.ActorOf(props, name);

    /// <summary>Stops <paramref name="actor"/> asynchronously: it finishes its current message, its children stop, then its PostStop runs.</summary>
    public void Stop(IActorRef actor) => ActorRefBase.From(actor).SendSystemMessage(new StopActor());

    /// <summary>Stops every actor (children before parents, every PostStop runs); the task is <see cref="WhenTerminated"/>.</summary>
    public Task Terminate()
    {
        _guardian.SelfRef.SendSystemMessage(new StopActor());
        return WhenTerminated;
    }

    /// <inheritdoc />
    public override string ToString() => "akka://" + Name;

    internal void OnGuardianTerminated() => _terminated.TrySetResult();

    internal void PublishLog(LogEvent logEvent)
    {
        Settings.Log?.Invoke(logEvent);
        EventStream.Publish(logEvent);
    }

    internal ActorPath NewTempPath() =>
        _tempPath.Child("$" + Interlocked.Increment(ref _tempCount).ToString(System.Globalization.CultureInfo.InvariantCulture));
}
