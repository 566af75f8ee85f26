namespace ActorAuth.Actors;

/// <summary>Well-known refs that are not actors.</summary>
public static class ActorRefs
{
    /// <summary>"No sender": receivers see the system's dead letters as the Sender and replies are published as dead letters.</summary>
    public static IActorRef? NoSender => null;

    /// <summary>A ref that drops every message and is always terminated; a placeholder where no actor applies.</summary>
    public static IActorRef Nobody => NobodyActorRef.Instance;
}
