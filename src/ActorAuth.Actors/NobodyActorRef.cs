namespace ActorAuth.Actors;

/// <summary>Backs <see cref="ActorRefs.Nobody"/>: drops messages, and answers a watch with Terminated because it never lived.</summary>
internal sealed class NobodyActorRef : ActorRefBase
{
    internal static readonly NobodyActorRef Instance = new();

    private static readonly ActorPath NobodyPath = ActorPath.Root("nobody");

    public override ActorPath Path => NobodyPath;

    internal override ActorSystem? System => null;

    public override void Tell(object message, IActorRef? sender = null)
    {
    }

    internal override void SendSystemMessage(SystemMessage message)
    {
        if (message is AddWatcher watch)
        {
            watch.Watcher.SendSystemMessage(new DeathWatchNotification(this));
        }
    }
}
