namespace ActorAuth.Actors;

/// <summary>What a supervisor does with a failed child.</summary>
public enum Directive
{
    /// <summary>Keep the instance and its state; continue with the next message (the failing one is dropped).</summary>
    Resume,

    /// <summary>Replace the instance with a fresh one from Props (PreRestart on the old, PostRestart on the new); the failing message is dropped.</summary>
    Restart,

    /// <summary>Stop the child permanently (its PostStop runs).</summary>
    Stop,

    /// <summary>Fail the supervisor itself with the same exception, for its own supervisor to decide.</summary>
    Escalate,
}
