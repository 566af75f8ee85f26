namespace ActorAuth.Actors;

/// <summary>One scheduled (possibly periodic) Tell; cancelling disposes its timer.</summary>
internal sealed class ScheduledTell : ICancelable
{
    private readonly IActorRef _receiver;
    private readonly object _message;
    private readonly IActorRef? _sender;
    private readonly ITimer _timer;
    private volatile bool _cancelled;

    internal ScheduledTell(TimeProvider clock, TimeSpan dueTime, TimeSpan period, IActorRef receiver, object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        ArgumentNullException.ThrowIfNull(message);
        _receiver = receiver;
        _message = message;
        _sender = sender;
        _timer = clock.CreateTimer(static state => ((ScheduledTell)state!).Fire(), this, dueTime, period);
    }

    public bool IsCancellationRequested => _cancelled;

    public void Cancel()
    {
        _cancelled = true;
        _timer.Dispose();
    }

    private void Fire()
    {
        // A callback already queued when Cancel ran must not deliver.
        if (!_cancelled)
        {
            _receiver.Tell(_message, _sender);
        }
    }
}
