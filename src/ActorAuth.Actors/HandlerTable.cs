namespace ActorAuth.Actors;

/// <summary>
/// One behaviour of a <see cref="ReceiveActor"/>: handlers in registration order (first match wins) and a small
/// cache from exact message type to the handlers that can take it, filled on the first message of each type.
/// The cache is a short array with reference comparison of types, cheaper than a dictionary for the handful of
/// types an actor sees; past <see cref="MaxCachedTypes"/> types, lookups scan without caching.
/// </summary>
internal sealed class HandlerTable(ReceiveHandler[] handlers)
{
    private const int MaxCachedTypes = 8;

    private (Type Type, ReceiveHandler[] Candidates)[] _cache = [];

    /// <summary>Runs the first handler that accepts <paramref name="message"/>; false when none does.</summary>
    public bool Handle(object message)
    {
        foreach (var handler in CandidatesFor(message.GetType()))
        {
            if (handler.TryHandle(message))
            {
                return true;
            }
        }

        return false;
    }

    private ReceiveHandler[] CandidatesFor(Type type)
    {
        var cache = _cache;
        for (var i = 0; i < cache.Length; i++)
        {
            if (ReferenceEquals(cache[i].Type, type))
            {
                return cache[i].Candidates;
            }
        }

        var candidates = Array.FindAll(handlers, h => h.MessageType.IsAssignableFrom(type));
        if (cache.Length < MaxCachedTypes)
        {
            _cache = [.. cache, (type, candidates)];
        }

        return candidates;
    }
}
