using Akka.Actor;

namespace ActorAuth.Server.Actors;

/// <summary>
/// What the actors that own a connection share: going on after work that usually completes at once (a socket
/// that takes the frame, a handler that answers synchronously) without paying for Akka's async receive, which
/// suspends the mailbox and schedules a task for every message.
/// </summary>
public abstract class ConnectionActor : ReceiveActor
{
    /// <summary>
    /// Goes on with <paramref name="work"/>'s result on this actor: at once when it has already completed, otherwise
    /// as an actor task that holds the mailbox until it completes, so no later message (the next frame, a timeout)
    /// overtakes it.
    /// </summary>
    protected void Then<T>(ValueTask<T> work, Action<T> then)
    {
        if (work.IsCompleted)
        {
            then(work.Result);
        }
        else
        {
            RunTask(async () => then(await work));
        }
    }
}
