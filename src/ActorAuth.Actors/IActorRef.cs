namespace ActorAuth.Actors;

/// <summary>
/// An immutable, thread-safe handle to an actor: the only way to reach it. Equality is identity,
/// so a ref to a stopped actor never equals the ref of a new actor that reuses its name.
/// </summary>
public interface IActorRef
{
    /// <summary>The actor's location in the hierarchy.</summary>
    ActorPath Path { get; }

    /// <summary>
    /// Enqueues <paramref name="message"/> and returns at once (fire and forget). Messages from one sender to one
    /// receiver arrive in the order sent; a message to a stopped actor is published as a <see cref="DeadLetter"/>.
    /// </summary>
    /// <param name="message">The message; never <see langword="null"/>.</param>
    /// <param name="sender">The ref the receiver sees as its Sender; <see langword="null"/> means dead letters.</param>
    void Tell(object message, IActorRef? sender = null);
}
