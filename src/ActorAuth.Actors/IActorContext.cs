namespace ActorAuth.Actors;

/// <summary>
/// The actor's view of the kernel. Use it only from the actor's own handlers and lifecycle hooks (including code
/// after an await in an async handler); it is not thread-safe.
/// </summary>
public interface IActorContext
{
    /// <summary>This actor's ref.</summary>
    IActorRef Self { get; }

    /// <summary>The sender of the message being processed; dead letters when it had none.</summary>
    IActorRef Sender { get; }

    /// <summary>The supervisor of this actor (the user guardian for top-level actors).</summary>
    IActorRef Parent { get; }

    /// <summary>The system this actor belongs to.</summary>
    ActorSystem System { get; }

    /// <summary>The props this actor was created from (and is re-created from on restart).</summary>
    Props Props { get; }

    /// <summary>The current receive timeout, or <see langword="null"/> when none is set.</summary>
    TimeSpan? ReceiveTimeout { get; }

    /// <summary>Creates a child supervised by this actor. The name must be unique among living children (generated if null).</summary>
    /// <exception cref="InvalidActorNameException">The name is invalid or taken.</exception>
    IActorRef ActorOf(Props props, string? name = null);

    /// <summary>Stops a child, or this actor itself, asynchronously: the current message completes first.</summary>
    void Stop(IActorRef actor);

    /// <summary>Delivers <see cref="Terminated"/> to this actor when <paramref name="subject"/> stops (at once if it already has). Idempotent.</summary>
    IActorRef Watch(IActorRef subject);

    /// <summary>Stops watching; no <see cref="Terminated"/> for <paramref name="subject"/> is delivered afterwards.</summary>
    IActorRef Unwatch(IActorRef subject);

    /// <summary>
    /// After <paramref name="timeout"/> without a received message (other than <see cref="INotInfluenceReceiveTimeout"/> ones),
    /// this actor gets <see cref="Actors.ReceiveTimeout"/>, repeatedly while it stays idle. <see langword="null"/> cancels it.
    /// </summary>
    void SetReceiveTimeout(TimeSpan? timeout);

    /// <summary>A snapshot of the children that have not yet terminated.</summary>
    IEnumerable<IActorRef> GetChildren();

    /// <summary>The child with this name, if it has not terminated.</summary>
    IActorRef? Child(string name);
}
