namespace ActorAuth.Actors;

/// <summary>The system scheduler: each scheduled Tell is one <see cref="ITimer"/> of the system's clock.</summary>
internal sealed class TimeProviderScheduler(TimeProvider clock) : IScheduler
{
    public ICancelable ScheduleTellOnce(TimeSpan delay, IActorRef receiver, object message, IActorRef? sender = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return new ScheduledTell(clock, delay, Timeout.InfiniteTimeSpan, receiver, message, sender);
    }

    public ICancelable ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, IActorRef receiver, object message, IActorRef? sender = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(initialDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        return new ScheduledTell(clock, initialDelay, interval, receiver, message, sender);
    }
}
