namespace ActorAuth.Directory;

/// <summary>
/// An SPN the service wants is registered on another account. Kerberos would issue tickets for it under that
/// account's key, so the service could not accept them: starting anyway would fail every client.
/// </summary>
public sealed class SpnConflictException : Exception
{
    /// <summary>Creates the exception for <paramref name="spn"/>, held by <paramref name="otherAccount"/> (null when the directory would not say).</summary>
    public SpnConflictException(string spn, string account, string? otherAccount)
        : base($"The SPN {spn} is already registered on {otherAccount ?? "another account"}, so it cannot be registered on {account}; "
            + $"remove it there (setspn -D / actorauth spn remove) or choose another host name or port.")
    {
        Spn = spn;
        OtherAccount = otherAccount;
    }

    /// <summary>The SPN in conflict, as text.</summary>
    public string Spn { get; }

    /// <summary>The account that holds it (a DN or principal name), when known.</summary>
    public string? OtherAccount { get; }
}
