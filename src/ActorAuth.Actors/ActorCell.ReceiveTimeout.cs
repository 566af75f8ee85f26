namespace ActorAuth.Actors;

/// <summary>
/// Receive timeout: one timer per actor (from the system TimeProvider), created on first use and re-armed with
/// <see cref="ITimer.Change"/> rather than reallocated. It is armed when set and re-armed when an influencing
/// message is received (before its handler runs, so a reply proves the timer is already armed).
/// It is disposed when the actor stops, so no ReceiveTimeout outlives it (Akka bug #469).
/// </summary>
internal sealed partial class ActorCell
{
    private TimeSpan? _receiveTimeout;
    private ITimer? _receiveTimeoutTimer;

    public TimeSpan? ReceiveTimeout => _receiveTimeout;

    public void SetReceiveTimeout(TimeSpan? timeout)
    {
        if (timeout is { } t && t <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), t, "A receive timeout must be positive, or null to cancel it.");
        }

        _receiveTimeout = timeout;
        if (timeout is null)
        {
            _receiveTimeoutTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
        else
        {
            RestartReceiveTimeout();
        }
    }

    private void RestartReceiveTimeout()
    {
        if (_receiveTimeout is not { } timeout)
        {
            return;
        }

        _receiveTimeoutTimer ??= System.TimeProvider.CreateTimer(
            static self => ((IActorRef)self!).Tell(global::ActorAuth.Actors.ReceiveTimeout.Instance, (IActorRef)self), // self as sender marks it ours
            SelfRef,
            Timeout.InfiniteTimeSpan,
            Timeout.InfiniteTimeSpan);
        _receiveTimeoutTimer.Change(timeout, Timeout.InfiniteTimeSpan);
    }

    private void StopReceiveTimeout()
    {
        _receiveTimeout = null;
        _receiveTimeoutTimer?.Dispose();
        _receiveTimeoutTimer = null;
    }
}
