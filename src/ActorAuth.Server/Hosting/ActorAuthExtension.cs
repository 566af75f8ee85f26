using Akka.Actor;

namespace ActorAuth.Server.Hosting;

/// <summary>
/// ActorAuth as an Akka.NET extension: the listener started in an actor system by
/// <see cref="ActorAuthHostingExtensions.WithActorAuth"/>, found from anywhere that has the system
/// (<c>ActorAuthExtension.Get(system).Server</c>).
/// </summary>
public sealed class ActorAuthExtension : IExtension
{
    private ActorAuthServer? _server;

    /// <summary>The extension of <paramref name="system"/>.</summary>
    public static ActorAuthExtension Get(ActorSystem system) => system.WithExtension<ActorAuthExtension, ActorAuthExtensionId>();

    /// <summary>The listener running in this system.</summary>
    /// <exception cref="InvalidOperationException">ActorAuth was not started in this system.</exception>
    public ActorAuthServer Server => Volatile.Read(ref _server)
        ?? throw new InvalidOperationException("ActorAuth is not running in this actor system: add WithActorAuth(...) to its AddAkka(...).");

    /// <summary>Records the listener being started; one per actor system.</summary>
    internal void Attach(ActorAuthServer server)
    {
        if (Interlocked.CompareExchange(ref _server, server, null) is not null)
        {
            throw new InvalidOperationException("ActorAuth is already running in this actor system; WithActorAuth(...) may be added once.");
        }
    }
}

/// <summary>Creates the <see cref="ActorAuthExtension"/> of an actor system.</summary>
public sealed class ActorAuthExtensionId : ExtensionIdProvider<ActorAuthExtension>
{
    /// <inheritdoc />
    public override ActorAuthExtension CreateExtension(ExtendedActorSystem system) => new();
}
