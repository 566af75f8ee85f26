namespace ActorAuth.Actors;

/// <summary>
/// Current while an async handler runs, so each <c>await</c> continuation is posted back to the actor as a system
/// message and runs on its mailbox run: actor state is never touched by two threads, even across awaits.
/// </summary>
internal sealed class ActorSynchronizationContext(LocalActorRef self) : SynchronizationContext
{
    public override void Post(SendOrPostCallback d, object? state) => self.SendSystemMessage(new RunContinuation(d, state));

    public override SynchronizationContext CreateCopy() => this;
}
