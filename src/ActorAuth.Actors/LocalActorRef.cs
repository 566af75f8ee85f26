namespace ActorAuth.Actors;

/// <summary>The ref of an actor living in a <see cref="ActorCell"/>; Tell is a lock-free enqueue.</summary>
internal sealed class LocalActorRef(ActorCell cell, ActorPath path) : ActorRefBase
{
    internal ActorCell Cell { get; } = cell;

    public override ActorPath Path { get; } = path;

    internal override ActorSystem System => Cell.System;

    public override void Tell(object message, IActorRef? sender = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        Cell.Mailbox.Post(message, sender);
    }

    internal override void SendSystemMessage(SystemMessage message) => Cell.Mailbox.PostSystem(message);
}
