namespace ActorAuth.Actors;

/// <summary>
/// Backs <see cref="ActorSystem.DeadLetters"/>: every message told to it is published on the event stream as a
/// <see cref="DeadLetter"/>. A <see cref="DeadLetter"/> itself is republished as is, so dead letters never nest.
/// </summary>
internal sealed class DeadLetterActorRef(ActorSystem system, ActorPath path) : ActorRefBase
{
    public override ActorPath Path { get; } = path;

    internal override ActorSystem System { get; } = system;

    public override void Tell(object message, IActorRef? sender = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        System.EventStream.Publish(message as DeadLetter ?? new DeadLetter(message, sender, this));
    }

    internal override void SendSystemMessage(SystemMessage message)
    {
        // Dead letters are "always dead": a watcher learns that at once.
        if (message is AddWatcher watch)
        {
            watch.Watcher.SendSystemMessage(new DeathWatchNotification(this));
        }
    }
}
