namespace ActorAuth.Actors;

/// <summary>
/// An actor whose behaviour is a set of typed handlers. Handlers registered in the constructor form the initial
/// behaviour; <see cref="Become"/> replaces the whole set. For a message, the first registered handler whose type
/// matches and whose predicate accepts it runs; if none does, <see cref="ActorBase.Unhandled"/> runs.
/// </summary>
public abstract class ReceiveActor : ActorBase
{
    private List<ReceiveHandler>? _building = [];
    private HandlerTable? _behaviour;

    /// <summary>Handles messages of type <typeparamref name="T"/> (and subtypes) for which <paramref name="shouldHandle"/> holds.</summary>
    /// <exception cref="InvalidOperationException">Called outside the constructor or a <see cref="Become"/> configuration.</exception>
    protected void Receive<T>(Action<T> handler, Predicate<T>? shouldHandle = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Register(new SyncReceiveHandler<T>(handler, shouldHandle));
    }

    /// <summary>
    /// Handles messages of type <typeparamref name="T"/> asynchronously: no other user message is processed until the task
    /// completes, code after each await runs inside the actor, and a faulted task fails the actor like a throw.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called outside the constructor or a <see cref="Become"/> configuration.</exception>
    protected void ReceiveAsync<T>(Func<T, Task> handler, Predicate<T>? shouldHandle = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Register(new AsyncReceiveHandler<T>(Cell, handler, shouldHandle));
    }

    /// <summary>Handles any message; registered last, it is the fallback.</summary>
    /// <exception cref="InvalidOperationException">Called outside the constructor or a <see cref="Become"/> configuration.</exception>
    protected void ReceiveAny(Action<object> handler) => Receive(handler);

    /// <summary>Replaces the current handler set with the handlers <paramref name="configure"/> registers; effective from the next message.</summary>
    protected void Become(Action configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _building = [];
        configure();
        _behaviour = new HandlerTable([.. _building]);
        _building = null;
    }

    /// <inheritdoc />
    protected sealed override bool Receive(object message) => _behaviour!.Handle(message);

    internal override void FinishConstruction()
    {
        // A constructor that called Become has already sealed its behaviour.
        if (_building is not null)
        {
            _behaviour = new HandlerTable([.. _building]);
            _building = null;
        }
    }

    private void Register(ReceiveHandler handler) =>
        (_building ?? throw new InvalidOperationException("Handlers can only be registered in the constructor or inside Become.")).Add(handler);
}
