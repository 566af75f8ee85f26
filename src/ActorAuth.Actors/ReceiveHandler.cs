namespace ActorAuth.Actors;

/// <summary>One registered handler of a <see cref="ReceiveActor"/>: a message type, an optional predicate and the code.</summary>
internal abstract class ReceiveHandler(Type messageType)
{
    public Type MessageType { get; } = messageType;

    /// <summary>Runs the handler if its predicate accepts <paramref name="message"/>, which is already known to be a <see cref="MessageType"/>.</summary>
    public abstract bool TryHandle(object message);
}

/// <summary>A synchronous handler: no allocation per message.</summary>
internal sealed class SyncReceiveHandler<T>(Action<T> handler, Predicate<T>? shouldHandle) : ReceiveHandler(typeof(T))
{
    public override bool TryHandle(object message)
    {
        var typed = (T)message;
        if (shouldHandle is not null && !shouldHandle(typed))
        {
            return false;
        }

        handler(typed);
        return true;
    }
}

/// <summary>An async handler: the actor takes no other user message until its task completes.</summary>
internal sealed class AsyncReceiveHandler<T>(ActorCell cell, Func<T, Task> handler, Predicate<T>? shouldHandle) : ReceiveHandler(typeof(T))
{
    public override bool TryHandle(object message)
    {
        var typed = (T)message;
        if (shouldHandle is not null && !shouldHandle(typed))
        {
            return false;
        }

        cell.RunAsyncHandler(handler, typed);
        return true;
    }
}
