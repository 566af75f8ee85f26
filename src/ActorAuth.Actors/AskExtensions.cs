namespace ActorAuth.Actors;

/// <summary>Request/response from outside an actor.</summary>
public static class AskExtensions
{
    /// <summary>
    /// Tells <paramref name="message"/> to <paramref name="recipient"/> with a temporary sender and returns its first reply.
    /// </summary>
    /// <exception cref="AskTimeoutException">No reply within <paramref name="timeout"/> on the system's TimeProvider.</exception>
    /// <exception cref="InvalidCastException">The reply is not a <typeparamref name="T"/>.</exception>
    /// <remarks>A <see cref="Status.Failure"/> reply faults the task with its cause; cancelling <paramref name="cancellationToken"/> cancels it.</remarks>
    public static async Task<T> Ask<T>(this IActorRef recipient, object message, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "Must be positive or infinite.");
        }

        var system = ActorRefBase.From(recipient).System
            ?? throw new ArgumentException("Nobody cannot be asked.", nameof(recipient));
        var promise = new PromiseActorRef(system);
        using var timer = system.TimeProvider.CreateTimer(
            static state => ((PromiseActorRef)state!).Fail(new AskTimeoutException($"Ask timed out: no reply within the timeout (reply target {((PromiseActorRef)state).Path}).")),
            promise,
            timeout,
            Timeout.InfiniteTimeSpan);
        await using var registration = cancellationToken.Register(static (state, token) => ((PromiseActorRef)state!).Cancel(token), promise);

        recipient.Tell(message, promise);
        var reply = await promise.Task.ConfigureAwait(false);
        return reply is T typed
            ? typed
            : throw new InvalidCastException($"Ask expected a {typeof(T).Name} from {recipient.Path} but got {reply.GetType().Name}: {reply}.");
    }
}
