using ActorAuth.Server.Sessions;
using Akka.Actor;
using Akka.Hosting;

namespace ActorAuth.Server.Hosting;

/// <summary>
/// What an application adds to ActorAuth in code, beside the configuration: its operations, served by plain
/// <see cref="ISessionHandler"/> classes or by its own actors. The built-in <c>echo</c> and <c>whoami</c> are
/// always served; handlers registered as <see cref="ISessionHandler"/> in the service collection are added too.
/// </summary>
public sealed class ActorAuthSetup
{
    private readonly List<ISessionHandler> _handlers = [];
    private readonly List<Func<IActorRegistry, TimeSpan, ISessionHandler>> _actorHandlers = [];

    /// <summary>Serves <paramref name="handler"/>'s operation.</summary>
    public ActorAuthSetup AddHandler(ISessionHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _handlers.Add(handler);
        return this;
    }

    /// <summary>Serves <paramref name="operation"/> with <paramref name="actor"/>: it receives <see cref="AuthenticatedRequest"/>s and replies to their sender.</summary>
    public ActorAuthSetup AddOperation(string operation, IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        _actorHandlers.Add((_, timeout) => new ActorOperationHandler(operation, () => actor, timeout));
        return this;
    }

    /// <summary>
    /// Serves <paramref name="operation"/> with the actor registered in Akka.Hosting's <see cref="ActorRegistry"/>
    /// under <typeparamref name="TKey"/>; it is looked up per request, so it may be registered after ActorAuth starts.
    /// </summary>
    public ActorAuthSetup AddOperation<TKey>(string operation)
    {
        _actorHandlers.Add((registry, timeout) => new ActorOperationHandler(operation, () => registry.TryGet<TKey>(out IActorRef actor) ? actor : null, timeout));
        return this;
    }

    /// <summary>Every handler: the built-ins, then <paramref name="fromServices"/>, then those added here.</summary>
    internal IEnumerable<ISessionHandler> Handlers(IEnumerable<ISessionHandler> fromServices, IActorRegistry registry, TimeSpan handlerTimeout) =>
        [new EchoHandler(), new WhoAmIHandler(), .. fromServices, .. _handlers, .. _actorHandlers.Select(create => create(registry, handlerTimeout))];
}
