namespace ActorAuth.Actors;

/// <summary>
/// Death watch: who this actor watches and who watches it. Both sets are created on first use, so an actor that
/// neither watches nor is watched pays two null fields.
/// </summary>
internal sealed partial class ActorCell
{
    private HashSet<ActorRefBase>? _watching;
    private HashSet<ActorRefBase>? _watchedBy;

    public IActorRef Watch(IActorRef subject)
    {
        var target = ActorRefBase.From(subject);
        if (!ReferenceEquals(target, SelfRef) && (_watching ??= []).Add(target))
        {
            target.SendSystemMessage(new AddWatcher(SelfRef));
        }

        return subject;
    }

    public IActorRef Unwatch(IActorRef subject)
    {
        var target = ActorRefBase.From(subject);
        if (_watching?.Remove(target) == true)
        {
            target.SendSystemMessage(new RemoveWatcher(SelfRef));
        }

        return subject;
    }

    private void AddWatcher(ActorRefBase watcher)
    {
        if (!ReferenceEquals(watcher, SelfRef))
        {
            (_watchedBy ??= []).Add(watcher);
        }
    }

    private void HandleDeathWatchNotification(IActorRef actor)
    {
        // Terminated travels the user queue so it follows every message the dead actor sent us.
        if (_watching?.Contains(ActorRefBase.From(actor)) == true)
        {
            SelfRef.Tell(new Terminated(actor));
        }

        HandleChildTerminated(actor);
    }

    /// <summary>True (and the watch is over) if <paramref name="actor"/> is still watched when its Terminated is processed.</summary>
    private bool ConsumeWatch(IActorRef actor) => _watching?.Remove(ActorRefBase.From(actor)) == true;

    private void UnwatchAll()
    {
        if (_watching is null)
        {
            return;
        }

        foreach (var watched in _watching)
        {
            watched.SendSystemMessage(new RemoveWatcher(SelfRef));
        }

        _watching = null;
    }

    private void TellWatchersWeDied()
    {
        if (_watchedBy is null)
        {
            return;
        }

        foreach (var watcher in _watchedBy)
        {
            // The parent already got its notification; a second one would produce a second Terminated.
            if (!ReferenceEquals(watcher, _parent))
            {
                watcher.SendSystemMessage(new DeathWatchNotification(SelfRef));
            }
        }

        _watchedBy = null;
    }
}
