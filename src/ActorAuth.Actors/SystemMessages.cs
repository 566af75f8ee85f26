namespace ActorAuth.Actors;

/// <summary>
/// A message for the kernel, not the actor: processed before any user message and even while the actor is
/// suspended. <see cref="Next"/> makes it its own queue node, so an instance must be posted to one mailbox once.
/// </summary>
internal abstract class SystemMessage
{
    internal SystemMessage? Next;
}

/// <summary>Make the first instance and run PreStart.</summary>
internal sealed class CreateActor : SystemMessage;

/// <summary>Stop: children first, then PostStop, then tell parent and watchers.</summary>
internal sealed class StopActor : SystemMessage;

/// <summary><see cref="Watcher"/> wants a <see cref="DeathWatchNotification"/> when the receiver stops.</summary>
internal sealed class AddWatcher(ActorRefBase watcher) : SystemMessage
{
    public ActorRefBase Watcher { get; } = watcher;
}

/// <summary><see cref="Watcher"/> no longer watches the receiver.</summary>
internal sealed class RemoveWatcher(ActorRefBase watcher) : SystemMessage
{
    public ActorRefBase Watcher { get; } = watcher;
}

/// <summary><see cref="Actor"/> has stopped; sent to its parent and to each watcher.</summary>
internal sealed class DeathWatchNotification(IActorRef actor) : SystemMessage
{
    public IActorRef Actor { get; } = actor;
}

/// <summary>Child to parent: <see cref="Child"/> failed and is suspended until the parent decides.</summary>
internal sealed class ChildFailed(LocalActorRef child, Exception cause) : SystemMessage
{
    public LocalActorRef Child { get; } = child;

    public Exception Cause { get; } = cause;
}

/// <summary>Parent to child: <see cref="Directive.Resume"/>.</summary>
internal sealed class ResumeActor : SystemMessage;

/// <summary>Parent to child: <see cref="Directive.Restart"/> because of <see cref="Cause"/>.</summary>
internal sealed class RecreateActor(Exception cause) : SystemMessage
{
    public Exception Cause { get; } = cause;
}

/// <summary>An await continuation of an async handler, run inside the actor like a message.</summary>
internal sealed class RunContinuation(SendOrPostCallback callback, object? state) : SystemMessage
{
    public SendOrPostCallback Callback { get; } = callback;

    public object? State { get; } = state;
}

/// <summary>The task of an async handler completed; the actor may take user messages again.</summary>
internal sealed class AsyncHandlerCompleted(Task task) : SystemMessage
{
    public Task Task { get; } = task;
}
