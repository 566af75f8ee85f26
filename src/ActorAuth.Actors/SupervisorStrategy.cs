namespace ActorAuth.Actors;

/// <summary>
/// How a parent handles a failed child: a pure <see cref="Decider"/> maps the exception to a <see cref="Directive"/>,
/// and a restart budget turns too many restarts into <see cref="Directive.Stop"/>.
/// </summary>
public abstract class SupervisorStrategy
{
    /// <summary>Restart, except initialisation failures, <see cref="Kill"/> and death pacts, which stop.</summary>
    public static SupervisorStrategy DefaultStrategy { get; } = new OneForOneStrategy(DefaultDecider);

    /// <summary>Stop on every failure.</summary>
    public static SupervisorStrategy StoppingStrategy { get; } = new OneForOneStrategy(static _ => Directive.Stop);

    /// <summary>Maps a failure to a directive; must be pure (no side effects, same answer for the same exception).</summary>
    public abstract Func<Exception, Directive> Decider { get; }

    /// <summary>The decider of <see cref="DefaultStrategy"/>.</summary>
    public static Directive DefaultDecider(Exception cause) => cause switch
    {
        ActorInitializationException or ActorKilledException or DeathPactException => Directive.Stop,
        _ => Directive.Restart,
    };

    /// <summary>Whether <paramref name="child"/> may restart once more now; called only for <see cref="Directive.Restart"/>.</summary>
    internal abstract bool RequestRestartPermission(ActorCell child, TimeProvider clock);
}
