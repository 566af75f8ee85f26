namespace ActorAuth.Directory;

/// <summary>Asks the <see cref="DirectoryActor"/> for its start-up outcome; it replies <see cref="DirectoryReady"/> or <see cref="DirectoryFailed"/> once known (at once if already known).</summary>
public sealed record AwaitDirectory
{
    /// <summary>The one instance; the message carries no data.</summary>
    public static readonly AwaitDirectory Instance = new();

    private AwaitDirectory()
    {
    }
}

/// <summary>
/// The service may serve. <see cref="Warning"/> is null when the account holds every composed SPN and the SCP is
/// published; otherwise (directory unreachable, <see cref="DirectorySettings.Required"/> off) it says what is missing.
/// </summary>
/// <param name="Spns">The SPNs the account was verified to hold (empty if the directory was never reached).</param>
/// <param name="Scp">The published SCP, with its DN where the directory has one; null if it could not be published.</param>
/// <param name="Warning">Why the service runs degraded, or null.</param>
public sealed record DirectoryReady(IReadOnlyList<ServicePrincipalName> Spns, ServiceConnectionPoint? Scp, string? Warning = null);

/// <summary>The service must not start; <paramref name="Reason"/> is a sentence for the operator.</summary>
/// <param name="Reason">What went wrong, naming the account, SPN or directory at fault.</param>
public sealed record DirectoryFailed(string Reason);

/// <summary>Tells the actor the service is stopping: it removes the SCP if so configured, replies <see cref="DirectoryStopped"/> and stops.</summary>
public sealed record StopDirectory
{
    /// <summary>The one instance; the message carries no data.</summary>
    public static readonly StopDirectory Instance = new();

    private StopDirectory()
    {
    }
}

/// <summary>The reply to <see cref="StopDirectory"/>: the actor has done its shutdown work and is stopping.</summary>
public sealed record DirectoryStopped
{
    /// <summary>The one instance; the message carries no data.</summary>
    public static readonly DirectoryStopped Instance = new();

    private DirectoryStopped()
    {
    }
}
