namespace ActorAuth.Actors;

/// <summary>An actor's constructor, PreStart or PostRestart threw; the default strategy stops such an actor.</summary>
public sealed class ActorInitializationException(IActorRef actor, string message, Exception inner) : Exception(message, inner)
{
    /// <summary>The actor that could not be initialised.</summary>
    public IActorRef Actor { get; } = actor;
}

/// <summary>The failure caused by <see cref="Kill"/>; the default strategy stops the actor.</summary>
public sealed class ActorKilledException(string message) : Exception(message);

/// <summary>
/// Thrown when an actor does not handle the <see cref="Terminated"/> of an actor it watches: by default,
/// watching means "I cannot live without it", and the default strategy stops the watcher.
/// </summary>
public sealed class DeathPactException(IActorRef deadActor) : Exception($"Unhandled Terminated of watched actor {deadActor}.")
{
    /// <summary>The watched actor that stopped.</summary>
    public IActorRef DeadActor { get; } = deadActor;
}

/// <summary>A child name was empty, reserved (starts with '$'), contained '/', or is still taken by a living sibling.</summary>
public sealed class InvalidActorNameException(string message) : Exception(message);

/// <summary>An <see cref="AskExtensions.Ask{T}"/> got no reply within its timeout (measured on the system's TimeProvider).</summary>
public sealed class AskTimeoutException(string message) : TimeoutException(message);
