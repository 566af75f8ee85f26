namespace ActorAuth.Actors;

/// <summary>
/// Base of every actor. An instance is created by the kernel from <see cref="Props"/> (never with <c>new</c> elsewhere),
/// processes one message at a time, and is replaced by a fresh instance on restart.
/// </summary>
public abstract class ActorBase
{
    /// <summary>Binds the instance to the cell creating it.</summary>
    /// <exception cref="InvalidOperationException">The actor was not created through ActorOf.</exception>
    protected ActorBase()
    {
        Cell = ActorCell.Constructing
            ?? throw new InvalidOperationException($"{GetType().Name} must be created by ActorOf(Props), not with 'new'.");
    }

    /// <summary>This actor's context; valid in the constructor, handlers and hooks, including after awaits in async handlers.</summary>
    protected IActorContext Context => Cell;

    /// <summary>This actor's ref.</summary>
    protected IActorRef Self => Cell.Self;

    /// <summary>The sender of the current message (dead letters when none).</summary>
    protected IActorRef Sender => Cell.Sender;

    internal ActorCell Cell { get; }

    /// <summary>Handles <paramref name="message"/>; returns false if it is not handled (then <see cref="Unhandled"/> runs).</summary>
    protected abstract bool Receive(object message);

    /// <summary>Runs once per instance after the constructor, before the first message. A throw stops the actor by default.</summary>
    protected virtual void PreStart()
    {
    }

    /// <summary>Runs once when the actor stops, after all its children have stopped; also after a failure that stopped it.</summary>
    protected virtual void PostStop()
    {
    }

    /// <summary>Runs on the failed instance before a restart. The default stops all children, then calls <see cref="PostStop"/>.</summary>
    /// <param name="reason">The failure.</param>
    /// <param name="message">The message being processed when it failed, if any; it is not retried.</param>
    protected virtual void PreRestart(Exception reason, object? message)
    {
        foreach (var child in Context.GetChildren())
        {
            Context.Stop(child);
        }

        PostStop();
    }

    /// <summary>Runs on the fresh instance after a restart. The default calls <see cref="PreStart"/>.</summary>
    protected virtual void PostRestart(Exception reason) => PreStart();

    /// <summary>How this actor supervises its children; called per failure. Default: <see cref="SupervisorStrategy.DefaultStrategy"/>.</summary>
    protected virtual SupervisorStrategy SupervisorStrategy() => global::ActorAuth.Actors.SupervisorStrategy.DefaultStrategy;

    /// <summary>
    /// Called for a message no handler accepted: an unhandled <see cref="Terminated"/> fails the actor with
    /// <see cref="DeathPactException"/>; anything else is published as <see cref="UnhandledMessage"/>.
    /// </summary>
    protected virtual void Unhandled(object message)
    {
        if (message is Terminated terminated)
        {
            throw new DeathPactException(terminated.ActorRef);
        }

        Cell.System.EventStream.Publish(new UnhandledMessage(message, Sender, Self));
    }

    /// <summary>Completes construction once the constructor has run (ReceiveActor seals its initial behaviour here).</summary>
    internal virtual void FinishConstruction()
    {
    }

    internal void AroundReceive(object message)
    {
        if (!Receive(message))
        {
            Unhandled(message);
        }
    }

    internal void AroundPreStart() => PreStart();

    internal void AroundPostStop() => PostStop();

    internal void AroundPreRestart(Exception reason, object? message) => PreRestart(reason, message);

    internal void AroundPostRestart(Exception reason) => PostRestart(reason);

    internal SupervisorStrategy GetSupervisorStrategy() => SupervisorStrategy();
}
