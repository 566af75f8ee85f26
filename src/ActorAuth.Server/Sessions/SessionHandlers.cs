namespace ActorAuth.Server.Sessions;

/// <summary>The handlers a server serves, by operation name, and which one an empty operation name means.</summary>
public sealed class SessionHandlers
{
    private readonly Dictionary<string, ISessionHandler> _byOperation;

    /// <summary>Indexes <paramref name="handlers"/>; <paramref name="defaultOperation"/> must be one of them.</summary>
    /// <exception cref="ArgumentException">Two handlers claim one operation, or the default is not served.</exception>
    public SessionHandlers(IEnumerable<ISessionHandler> handlers, string defaultOperation)
    {
        _byOperation = new Dictionary<string, ISessionHandler>(StringComparer.Ordinal);
        foreach (ISessionHandler handler in handlers)
        {
            if (!_byOperation.TryAdd(handler.Operation, handler))
            {
                throw new ArgumentException($"Two session handlers serve the operation '{handler.Operation}'.", nameof(handlers));
            }
        }

        Default = _byOperation.GetValueOrDefault(defaultOperation)
            ?? throw new ArgumentException($"The default operation '{defaultOperation}' has no handler; registered: {string.Join(", ", _byOperation.Keys)}.", nameof(defaultOperation));
        All = [Default, .. _byOperation.Values.Where(h => h != Default).OrderBy(h => h.Operation, StringComparer.Ordinal)];
    }

    /// <summary>The handler an empty operation name invokes.</summary>
    public ISessionHandler Default { get; }

    /// <summary>Every handler, the default first.</summary>
    public IReadOnlyList<ISessionHandler> All { get; }

    /// <summary>The handler for <paramref name="operation"/> (empty: the default); null if none serves it.</summary>
    public ISessionHandler? Find(string operation) =>
        operation.Length == 0 ? Default : _byOperation.GetValueOrDefault(operation);
}
