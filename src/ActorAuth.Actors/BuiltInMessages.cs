namespace ActorAuth.Actors;

/// <summary>
/// Sent to a watcher when an actor it watches has stopped (after the actor's PostStop). It arrives after every
/// message that actor sent to the watcher. Unhandled, it fails the watcher with <see cref="DeathPactException"/>.
/// </summary>
/// <param name="ActorRef">The actor that stopped.</param>
public sealed record Terminated(IActorRef ActorRef);

/// <summary>
/// Marks a message that does not count as activity for <see cref="IActorContext.SetReceiveTimeout"/>:
/// receiving it neither resets nor cancels a pending receive timeout.
/// </summary>
public interface INotInfluenceReceiveTimeout;

/// <summary>Sent to an actor that received no (influencing) message for its receive timeout. It re-arms like any message.</summary>
public sealed class ReceiveTimeout
{
    /// <summary>The only instance.</summary>
    public static readonly ReceiveTimeout Instance = new();

    private ReceiveTimeout()
    {
    }
}

/// <summary>Stops the receiver once it reaches this message: messages queued before it are processed, later ones become dead letters.</summary>
public sealed class PoisonPill
{
    /// <summary>The only instance.</summary>
    public static readonly PoisonPill Instance = new();

    private PoisonPill()
    {
    }
}

/// <summary>Makes the receiver fail with <see cref="ActorKilledException"/>; its supervisor decides (the default stops it).</summary>
public sealed class Kill
{
    /// <summary>The only instance.</summary>
    public static readonly Kill Instance = new();

    private Kill()
    {
    }
}
