namespace ActorAuth.Actors;

/// <summary>
/// A parent's children by name, created on the first child. A child keeps its name until it has terminated, so a
/// name is never shared by two living actors. Locked because the user guardian accepts
/// <see cref="ActorSystem.ActorOf"/> from any thread; every other caller is the parent's own run.
/// </summary>
internal sealed class ChildrenContainer
{
    private readonly Dictionary<string, LocalActorRef> _byName = new(StringComparer.Ordinal);
    private HashSet<LocalActorRef>? _stopping;
    private int _nextId;
    private bool _closed;

    /// <summary>Number of children not yet terminated (stopping ones included).</summary>
    public int Count
    {
        get
        {
            lock (_byName)
            {
                return _byName.Count;
            }
        }
    }

    /// <summary>Whether a child asked to stop has not terminated yet.</summary>
    public bool HasStopping
    {
        get
        {
            lock (_byName)
            {
                return _stopping is { Count: > 0 };
            }
        }
    }

    /// <summary>Registers a child built by <paramref name="create"/> under <paramref name="name"/> (or a generated name).</summary>
    public LocalActorRef Add(string? name, Func<string, LocalActorRef> create)
    {
        lock (_byName)
        {
            if (_closed)
            {
                throw new InvalidOperationException("Cannot create a child of an actor that is stopping.");
            }

            name ??= "$" + (++_nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (_byName.ContainsKey(name))
            {
                throw new InvalidActorNameException($"The name '{name}' is taken by a child that has not terminated.");
            }

            var child = create(name);
            _byName.Add(name, child);
            return child;
        }
    }

    /// <summary>The living child named <paramref name="name"/>, if any.</summary>
    public LocalActorRef? Get(string name)
    {
        lock (_byName)
        {
            return _byName.GetValueOrDefault(name);
        }
    }

    /// <summary>A snapshot of all children.</summary>
    public LocalActorRef[] Snapshot()
    {
        lock (_byName)
        {
            return [.. _byName.Values];
        }
    }

    /// <summary>Whether <paramref name="child"/> is a child that has not been asked to stop.</summary>
    public bool IsActive(LocalActorRef child)
    {
        lock (_byName)
        {
            return _byName.TryGetValue(child.Path.Name, out var known) && ReferenceEquals(known, child) && _stopping?.Contains(child) != true;
        }
    }

    /// <summary>Records that <paramref name="child"/> was asked to stop; false if it is not a child.</summary>
    public bool MarkStopping(LocalActorRef child)
    {
        lock (_byName)
        {
            if (!_byName.TryGetValue(child.Path.Name, out var known) || !ReferenceEquals(known, child))
            {
                return false;
            }

            (_stopping ??= []).Add(child);
            return true;
        }
    }

    /// <summary>Refuses new children and marks every child stopping; returns them to be stopped.</summary>
    public LocalActorRef[] CloseAndStopAll()
    {
        lock (_byName)
        {
            _closed = true;
            _stopping ??= [];
            foreach (var child in _byName.Values)
            {
                _stopping.Add(child);
            }

            return [.. _byName.Values];
        }
    }

    /// <summary>Forgets a terminated child, freeing its name; false if it was not a child.</summary>
    public bool Remove(IActorRef actor)
    {
        lock (_byName)
        {
            if (actor is not LocalActorRef child || !_byName.TryGetValue(child.Path.Name, out var known) || !ReferenceEquals(known, child))
            {
                return false;
            }

            _byName.Remove(child.Path.Name);
            _stopping?.Remove(child);
            return true;
        }
    }
}
