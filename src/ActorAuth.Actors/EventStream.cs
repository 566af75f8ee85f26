namespace ActorAuth.Actors;

/// <summary>
/// Publish/subscribe within a system: an event goes to every subscriber whose subscribed type it is an instance of.
/// Publishing is lock-free (subscriptions are a copy-on-write array); an actor's subscriptions end when it stops.
/// </summary>
public sealed class EventStream
{
    private readonly Lock _gate = new();
    private (Type Type, IActorRef Subscriber)[] _subscriptions = [];

    /// <summary>Sends <paramref name="subscriber"/> every published event assignable to <typeparamref name="T"/>. Idempotent.</summary>
    public void Subscribe<T>(IActorRef subscriber)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        lock (_gate)
        {
            if (Array.IndexOf(_subscriptions, (typeof(T), subscriber)) < 0)
            {
                _subscriptions = [.. _subscriptions, (typeof(T), subscriber)];
            }
        }
    }

    /// <summary>Ends the subscription of <paramref name="subscriber"/> to <typeparamref name="T"/>.</summary>
    public void Unsubscribe<T>(IActorRef subscriber) => Remove(s => s.Type == typeof(T) && ReferenceEquals(s.Subscriber, subscriber));

    /// <summary>Ends all subscriptions of <paramref name="subscriber"/>.</summary>
    public void Unsubscribe(IActorRef subscriber) => Remove(s => ReferenceEquals(s.Subscriber, subscriber));

    /// <summary>Tells <paramref name="event"/> to each matching subscriber, in subscription order.</summary>
    public void Publish(object @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        foreach (var (type, subscriber) in Volatile.Read(ref _subscriptions))
        {
            if (type.IsInstanceOfType(@event))
            {
                subscriber.Tell(@event);
            }
        }
    }

    private void Remove(Predicate<(Type Type, IActorRef Subscriber)> match)
    {
        // Every stopping actor calls this; most never subscribed, so check before taking the lock.
        if (Array.FindIndex(Volatile.Read(ref _subscriptions), match) < 0)
        {
            return;
        }

        lock (_gate)
        {
            _subscriptions = Array.FindAll(_subscriptions, s => !match(s));
        }
    }
}
