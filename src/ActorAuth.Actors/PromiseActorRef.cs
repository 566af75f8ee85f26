namespace ActorAuth.Actors;

/// <summary>
/// The temporary reply target of one Ask: the first message told to it completes <see cref="Task"/>
/// (<see cref="Status.Failure"/> faults it); later messages become dead letters. It cannot be watched.
/// </summary>
internal sealed class PromiseActorRef(ActorSystem system) : ActorRefBase
{
    private readonly TaskCompletionSource<object> _reply = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override ActorPath Path { get; } = system.NewTempPath();

    internal override ActorSystem System { get; } = system;

    internal Task<object> Task => _reply.Task;

    public override void Tell(object message, IActorRef? sender = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        var accepted = message is Status.Failure failure ? _reply.TrySetException(failure.Cause) : _reply.TrySetResult(message);
        if (!accepted)
        {
            System.DeadLetters.Tell(new DeadLetter(message, sender, this));
        }
    }

    internal void Fail(Exception error) => _reply.TrySetException(error);

    internal void Cancel(CancellationToken cancellationToken) => _reply.TrySetCanceled(cancellationToken);

    internal override void SendSystemMessage(SystemMessage message)
    {
    }
}
