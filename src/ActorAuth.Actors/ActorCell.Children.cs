namespace ActorAuth.Actors;

/// <summary>Creating, naming, listing and stopping children.</summary>
internal sealed partial class ActorCell
{
    private ChildrenContainer? _children;

    private bool HasChildren => _children is { Count: > 0 };

    private ChildrenContainer Children =>
        _children ?? Interlocked.CompareExchange(ref _children, new ChildrenContainer(), null) ?? _children;

    public IActorRef ActorOf(Props props, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(props);
        if (name is not null && (name.Length == 0 || name[0] == '$' || name.Contains('/', StringComparison.Ordinal)))
        {
            throw new InvalidActorNameException($"'{name}' is not a valid actor name: it must be non-empty, not start with '$' and not contain '/'.");
        }

        var child = Children.Add(name, childName => new ActorCell(System, SelfRef, props, SelfRef.Path.Child(childName)).SelfRef);
        child.Cell.Start();
        return child;
    }

    public void Stop(IActorRef actor)
    {
        var target = ActorRefBase.From(actor);
        if (target is LocalActorRef child)
        {
            _children?.MarkStopping(child);
        }

        target.SendSystemMessage(new StopActor());
    }

    public IEnumerable<IActorRef> GetChildren() => _children?.Snapshot() ?? [];

    public IActorRef? Child(string name) => _children?.Get(name);

    private void StopAllChildren()
    {
        if (_children is null)
        {
            return;
        }

        foreach (var child in _children.CloseAndStopAll())
        {
            child.SendSystemMessage(new StopActor());
        }
    }

    /// <summary>A child terminated: free its name and resume a stop or restart that was waiting for it.</summary>
    private void HandleChildTerminated(IActorRef actor)
    {
        if (_children?.Remove(actor) != true)
        {
            return;
        }

        if ((_state & CellState.Terminating) != 0)
        {
            if (!HasChildren)
            {
                FinishTermination();
            }
        }
        else if ((_state & CellState.Recreating) != 0 && !_children.HasStopping)
        {
            FinishRecreate();
        }
    }
}
