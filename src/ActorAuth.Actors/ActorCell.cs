namespace ActorAuth.Actors;

/// <summary>
/// The kernel's half of an actor: owns the current instance, the mailbox, children, watches and receive timeout,
/// and is the actor's <see cref="IActorContext"/>. Everything here runs on the actor's mailbox run (one thread at
/// a time) unless noted. Split by concern: lifecycle and dispatch here; children, death watch, fault handling,
/// receive timeout and async handlers in the other partial files.
/// </summary>
internal sealed partial class ActorCell : IActorContext
{
    /// <summary>The cell whose actor is being constructed on this thread, so <see cref="ActorBase"/>'s constructor can bind to it.</summary>
    [ThreadStatic]
    private static ActorCell? t_constructing;

    private readonly ActorRefBase _parent;
    private ActorBase? _actor;
    private object? _currentMessage;
    private IActorRef? _currentSender;
    private CellState _state;

    internal ActorCell(ActorSystem system, ActorRefBase parent, Props props, ActorPath path)
    {
        System = system;
        _parent = parent;
        Props = props;
        SelfRef = new LocalActorRef(this, path);
        Mailbox = new Mailbox(this);
    }

    /// <summary>Why user messages are held back; any set bit suspends the user queue.</summary>
    [Flags]
    private enum CellState : byte
    {
        None = 0,
        Failed = 1, // waiting for the parent's directive
        AwaitingTask = 2, // an async handler has not completed
        Recreating = 4, // restarting, waiting for children stopped by PreRestart
        Terminating = 8, // stopping, waiting for children
        Terminated = 16, // stopped for good; the mailbox now only produces dead letters
    }

    internal static ActorCell? Constructing => t_constructing;

    internal Mailbox Mailbox { get; }

    internal LocalActorRef SelfRef { get; }

    internal bool IsSuspended => _state != CellState.None;

    internal bool IsTerminated => (_state & CellState.Terminated) != 0;

    public ActorSystem System { get; }

    public Props Props { get; }

    public IActorRef Self => SelfRef;

    public IActorRef Sender => _currentSender ?? System.DeadLetters;

    public IActorRef Parent => _parent;

    /// <summary>Posts the creation of the first instance; called once, right after the cell is registered.</summary>
    internal void Start() => SelfRef.SendSystemMessage(new CreateActor());

    /// <summary>Delivers one user message to the actor; failures go to supervision, never up the stack.</summary>
    internal void Invoke(object message, IActorRef? sender)
    {
        _currentMessage = message;
        _currentSender = sender;
        try
        {
            if (_receiveTimeout is not null && message is not INotInfluenceReceiveTimeout)
            {
                RestartReceiveTimeout();
            }

            switch (message)
            {
                case PoisonPill:
                    BeginTermination();
                    break;
                case Kill:
                    throw new ActorKilledException("Kill");
                case Terminated terminated:
                    // Dropped when the watch was removed after the notification was queued (Unwatch wins).
                    if (ConsumeWatch(terminated.ActorRef))
                    {
                        _actor!.AroundReceive(message);
                    }

                    break;
                case global::ActorAuth.Actors.ReceiveTimeout when _receiveTimeout is null && ReferenceEquals(sender, SelfRef):
                    break; // our own timer fired just before SetReceiveTimeout(null): stale
                default:
                    _actor!.AroundReceive(message);
                    break;
            }
        }
        catch (Exception e)
        {
            HandleInvokeFailure(e);
        }
        finally
        {
            // Kept while failed (PreRestart gets it) or while an async handler still runs (it may read Sender).
            if ((_state & (CellState.Failed | CellState.AwaitingTask)) == 0)
            {
                _currentMessage = null;
                _currentSender = null;
            }
        }
    }

    /// <summary>Applies one system message; a stopped cell only answers watches.</summary>
    internal void SystemInvoke(SystemMessage message)
    {
        if (IsTerminated)
        {
            if (message is AddWatcher watch)
            {
                watch.Watcher.SendSystemMessage(new DeathWatchNotification(SelfRef));
            }

            return;
        }

        try
        {
            switch (message)
            {
                case CreateActor:
                    Create();
                    break;
                case StopActor:
                    BeginTermination();
                    break;
                case AddWatcher watch:
                    AddWatcher(watch.Watcher);
                    break;
                case RemoveWatcher unwatch:
                    _watchedBy?.Remove(unwatch.Watcher);
                    break;
                case DeathWatchNotification notification:
                    HandleDeathWatchNotification(notification.Actor);
                    break;
                case ChildFailed failed:
                    HandleChildFailed(failed.Child, failed.Cause);
                    break;
                case ResumeActor:
                    FaultResume();
                    break;
                case RecreateActor recreate:
                    FaultRecreate(recreate.Cause);
                    break;
                case RunContinuation continuation:
                    RunContinuation(continuation);
                    break;
                case AsyncHandlerCompleted completed:
                    EndAsyncHandler(completed.Task);
                    break;
            }
        }
        catch (Exception e)
        {
            HandleInvokeFailure(e);
        }
    }

    /// <summary>Publishes a message the stopped actor will never process.</summary>
    internal void SendToDeadLetters(object message, IActorRef? sender)
    {
        // A dead subscriber must not turn a DeadLetter into another DeadLetter, endlessly.
        if (message is not DeadLetter)
        {
            System.EventStream.Publish(new DeadLetter(message, sender, SelfRef));
        }
    }

    private void Create()
    {
        try
        {
            _actor = NewActor();
            _actor.AroundPreStart();
        }
        catch (Exception e)
        {
            HandleInvokeFailure(new ActorInitializationException(SelfRef, $"Creating {Props.ActorType.Name} at {SelfRef.Path} failed: {e.Message}", e));
        }
    }

    private ActorBase NewActor()
    {
        var previous = t_constructing;
        t_constructing = this;
        try
        {
            var actor = Props.NewActor();
            if (!ReferenceEquals(actor.Cell, this))
            {
                throw new InvalidOperationException("A Props factory must construct a new actor instance on every call.");
            }

            actor.FinishConstruction();
            return actor;
        }
        finally
        {
            t_constructing = previous;
        }
    }

    /// <summary>Stop: no more user messages; children stop first; PostStop runs when the last one has terminated.</summary>
    private void BeginTermination()
    {
        if ((_state & (CellState.Terminating | CellState.Terminated)) != 0)
        {
            return;
        }

        _state |= CellState.Terminating;
        _pendingTask = null;
        StopReceiveTimeout();
        UnwatchAll(); // no Terminated can reach us any more: would only become dead letters
        StopAllChildren();
        if (!HasChildren)
        {
            FinishTermination();
        }
    }

    private void FinishTermination()
    {
        _state |= CellState.Terminated;
        var actor = _actor;
        _actor = null;
        try
        {
            actor?.AroundPostStop();
        }
        catch (Exception e)
        {
            System.PublishLog(new Error(SelfRef, e, $"PostStop of {SelfRef.Path} threw."));
        }

        _currentMessage = null;
        _currentSender = null;
        _parent.SendSystemMessage(new DeathWatchNotification(SelfRef));
        TellWatchersWeDied();
        System.EventStream.Unsubscribe(SelfRef);
    }
}
