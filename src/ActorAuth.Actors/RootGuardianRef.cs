namespace ActorAuth.Actors;

/// <summary>
/// The parent of the user guardian. It has no mailbox: it completes <see cref="ActorSystem.WhenTerminated"/>
/// when the guardian dies, and stops the guardian (hence the system) if the guardian itself fails.
/// </summary>
internal sealed class RootGuardianRef(ActorSystem system, ActorPath path) : ActorRefBase
{
    public override ActorPath Path { get; } = path;

    internal override ActorSystem System { get; } = system;

    public override void Tell(object message, IActorRef? sender = null) => System.DeadLetters.Tell(message, sender);

    internal override void SendSystemMessage(SystemMessage message)
    {
        switch (message)
        {
            case DeathWatchNotification:
                System.OnGuardianTerminated();
                break;
            case ChildFailed failed:
                System.PublishLog(new Error(failed.Child, failed.Cause, "The user guardian failed; terminating the actor system."));
                failed.Child.SendSystemMessage(new StopActor());
                break;
        }
    }
}
