using Akka.Actor;

namespace ActorAuth.Server.Actors;

/// <summary>
/// What the actors that own a connection share. They are made per connection, so they are Akka's plain
/// <see cref="UntypedActor"/> with a <c>switch</c> over the message: a <see cref="ReceiveActor"/> builds its handler
/// table in every instance's constructor (seen in perf at ~4% of the server's CPU under connection churn). And
/// they go on after work that usually completes at once (a socket that takes the frame, a handler that answers
/// synchronously) without Akka's async receive, which suspends the mailbox and schedules a task every message.
/// </summary>
public abstract class ConnectionActor : UntypedActor
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
