namespace ActorAuth.Actors;

/// <summary>
/// Supervision. A failing actor suspends itself and reports <see cref="ChildFailed"/> to its parent; the parent's
/// strategy answers with resume, recreate or stop, or escalates by failing itself with the same exception.
/// </summary>
internal sealed partial class ActorCell
{
    private RestartStatistics? _restartStatistics;
    private LocalActorRef? _escalatedChild; // the child whose failure we escalated; resumed if we are resumed
    private Exception? _recreateCause; // set while a restart waits for children to stop

    /// <summary>This actor's restart budget usage, created at its first restart; only its parent touches it.</summary>
    internal RestartStatistics RestartStatistics => _restartStatistics ??= new RestartStatistics();

    /// <summary>Suspend and report to the parent; only the first failure counts until the parent decides.</summary>
    private void HandleInvokeFailure(Exception cause, LocalActorRef? escalatedChild = null)
    {
        if ((_state & (CellState.Failed | CellState.Terminating | CellState.Terminated)) != 0)
        {
            // Already waiting for a directive, or stopping: a second report would be acted on twice.
            System.PublishLog(new Error(SelfRef, cause, $"{SelfRef.Path} failed again before its supervisor decided, or while stopping."));
            return;
        }

        _state |= CellState.Failed;
        _escalatedChild = escalatedChild;
        _parent.SendSystemMessage(new ChildFailed(SelfRef, cause));
    }

    private void HandleChildFailed(LocalActorRef child, Exception cause)
    {
        // A child we already stop (or that is gone) needs no decision.
        if (_children?.IsActive(child) != true)
        {
            return;
        }

        var strategy = Props.SupervisorStrategy ?? _actor?.GetSupervisorStrategy() ?? SupervisorStrategy.DefaultStrategy;
        var directive = strategy.Decider(cause);
        switch (directive)
        {
            case Directive.Resume:
                System.PublishLog(new Error(child, cause, $"{child.Path} failed; resuming it."));
                child.SendSystemMessage(new ResumeActor());
                break;
            case Directive.Restart when strategy.RequestRestartPermission(child.Cell, System.TimeProvider):
                System.PublishLog(new Error(child, cause, $"{child.Path} failed; restarting it."));
                child.SendSystemMessage(new RecreateActor(cause));
                break;
            case Directive.Restart:
                System.PublishLog(new Error(child, cause, $"{child.Path} failed and exceeded its restart budget; stopping it."));
                Stop(child);
                break;
            case Directive.Stop:
                System.PublishLog(new Error(child, cause, $"{child.Path} failed; stopping it."));
                Stop(child);
                break;
            case Directive.Escalate:
                HandleInvokeFailure(cause, child);
                break;
        }
    }

    private void FaultResume()
    {
        _state &= ~CellState.Failed;
        if (_actor is null)
        {
            Create(); // the constructor failed: there is nothing to resume
            return;
        }

        if ((_state & CellState.AwaitingTask) == 0)
        {
            _currentMessage = null;
            _currentSender = null;
        }

        if (_escalatedChild is { } child)
        {
            _escalatedChild = null;
            child.SendSystemMessage(new ResumeActor());
        }
    }

    private void FaultRecreate(Exception cause)
    {
        _state &= ~(CellState.Failed | CellState.AwaitingTask);
        var failed = _actor;
        if (failed is null)
        {
            Create(); // the constructor failed: there is no old instance to tear down
            return;
        }

        try
        {
            failed.AroundPreRestart(cause, _currentMessage);
        }
        catch (Exception e)
        {
            // Best effort, as in Akka: the restart goes on.
            System.PublishLog(new Error(SelfRef, e, $"PreRestart of {SelfRef.Path} threw."));
        }

        _actor = null;
        _pendingTask = null;
        _currentMessage = null;
        _currentSender = null;
        _escalatedChild = null;
        StopReceiveTimeout(); // the new instance starts without one, like any new instance
        _recreateCause = cause;
        _state |= CellState.Recreating;
        if (_children?.HasStopping != true)
        {
            FinishRecreate();
        }
    }

    /// <summary>Children stopped by PreRestart are gone (their names are free): make the new instance.</summary>
    private void FinishRecreate()
    {
        var cause = _recreateCause!;
        _recreateCause = null;
        _state &= ~CellState.Recreating;
        var survivors = _children?.Snapshot() ?? [];
        try
        {
            _actor = NewActor();
            _actor.AroundPostRestart(cause);
        }
        catch (Exception e)
        {
            HandleInvokeFailure(new ActorInitializationException(SelfRef, $"Restarting {SelfRef.Path} failed: {e.Message}", e));
            return;
        }

        // Children kept by an overridden PreRestart restart with their parent, as in Akka.
        foreach (var child in survivors)
        {
            child.SendSystemMessage(new RecreateActor(cause));
        }
    }
}
