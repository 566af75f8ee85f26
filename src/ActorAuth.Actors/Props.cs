using System.Reflection;
using System.Runtime.ExceptionServices;

namespace ActorAuth.Actors;

/// <summary>
/// An immutable recipe for an actor: how to make an instance (again, on every restart) and how the actor
/// supervises its own children. Shareable across threads and actors.
/// </summary>
public sealed class Props
{
    private readonly Func<ActorBase> _factory;

    private Props(Type actorType, Func<ActorBase> factory, SupervisorStrategy? supervisorStrategy)
    {
        ActorType = actorType;
        _factory = factory;
        SupervisorStrategy = supervisorStrategy;
    }

    /// <summary>The type of actor these props create.</summary>
    public Type ActorType { get; }

    /// <summary>The strategy the actor applies to its children; <see langword="null"/> means its own <c>SupervisorStrategy()</c>.</summary>
    public SupervisorStrategy? SupervisorStrategy { get; }

    /// <summary>Props whose <paramref name="factory"/> is called for every new instance; it must return a new actor each time.</summary>
    public static Props Create<TActor>(Func<TActor> factory) where TActor : ActorBase
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new Props(typeof(TActor), factory, null);
    }

    /// <summary>Props that create instances with the parameterless constructor.</summary>
    public static Props Create<TActor>() where TActor : ActorBase, new() => new(typeof(TActor), Factory<TActor>.New, null);

    /// <summary>A copy whose actor supervises its children with <paramref name="strategy"/>, overriding the actor's own choice.</summary>
    public Props WithSupervisorStrategy(SupervisorStrategy strategy)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        return new Props(ActorType, _factory, strategy);
    }

    internal ActorBase NewActor() => _factory();

    /// <summary>Parameterless construction that surfaces the constructor's own exception, not a reflection wrapper.</summary>
    private static class Factory<TActor>
        where TActor : ActorBase, new()
    {
        public static readonly Func<ActorBase> New = Create;

        private static ActorBase Create()
        {
            try
            {
                return new TActor();
            }
            catch (TargetInvocationException e) when (e.InnerException is { } inner)
            {
                ExceptionDispatchInfo.Throw(inner);
                throw;
            }
        }
    }
}
