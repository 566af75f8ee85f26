namespace ActorAuth.Actors;

/// <summary>
/// The kernel's side of every ref it hands out: besides user messages, a ref accepts system messages
/// (lifecycle, watch, supervision), which bypass the user queue and are never dropped silently.
/// </summary>
internal abstract class ActorRefBase : IActorRef
{
    public abstract ActorPath Path { get; }

    /// <summary>The owning system; <see langword="null"/> only for <see cref="NobodyActorRef"/>.</summary>
    internal abstract ActorSystem? System { get; }

    public abstract void Tell(object message, IActorRef? sender = null);

    internal abstract void SendSystemMessage(SystemMessage message);

    /// <summary>Refs made outside the kernel cannot take part in watch or supervision, so they are rejected early.</summary>
    internal static ActorRefBase From(IActorRef actor) =>
        actor as ActorRefBase ?? throw new ArgumentException($"'{actor}' was not created by an ActorSystem.", nameof(actor));

    public override string ToString() => Path.ToString();
}
