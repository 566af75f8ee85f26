namespace ActorAuth.Actors;

/// <summary>
/// Async handlers: while the handler's task runs, user messages wait (the cell is suspended) but system messages
/// flow; continuations run on the mailbox run via <see cref="ActorSynchronizationContext"/>; a faulted task is a
/// failure of the actor like a synchronous throw.
/// </summary>
internal sealed partial class ActorCell
{
    private Task? _pendingTask;
    private ActorSynchronizationContext? _synchronizationContext;

    /// <summary>Runs <paramref name="handler"/> with the actor's context current; suspends user messages until its task ends.</summary>
    internal void RunAsyncHandler<T>(Func<T, Task> handler, T message)
    {
        Task task;
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(_synchronizationContext ??= new ActorSynchronizationContext(SelfRef));
        try
        {
            task = handler(message);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        if (task.IsCompleted)
        {
            task.GetAwaiter().GetResult(); // no suspension needed; a fault throws into the normal failure path
            return;
        }

        _pendingTask = task;
        _state |= CellState.AwaitingTask;
        var self = SelfRef;
        task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(() => self.SendSystemMessage(new AsyncHandlerCompleted(task)));
    }

    private void RunContinuation(RunContinuation continuation)
    {
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(_synchronizationContext);
        try
        {
            continuation.Callback(continuation.State);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    private void EndAsyncHandler(Task task)
    {
        // A restart or stop abandoned this task; its outcome no longer concerns the actor.
        if (!ReferenceEquals(task, _pendingTask))
        {
            return;
        }

        _pendingTask = null;
        _state &= ~CellState.AwaitingTask;
        if (task.IsFaulted || task.IsCanceled)
        {
            try
            {
                task.GetAwaiter().GetResult();
            }
            catch (Exception e)
            {
                HandleInvokeFailure(e);
                return;
            }
        }

        if ((_state & CellState.Failed) == 0)
        {
            _currentMessage = null;
            _currentSender = null;
        }
    }
}
