namespace ActorAuth.Directory;

/// <summary>
/// Where a service registers its SPNs and publishes its service connection point: Active Directory over LDAP
/// (<see cref="LdapDirectoryBackend"/>) or the dev realm (<see cref="RealmDirectoryBackend"/>). One instance acts for
/// one service account. Every method throws <see cref="DirectoryUnavailableException"/> when the directory cannot be
/// reached, which callers may retry; other failures are not transient.
/// </summary>
public interface IDirectoryBackend
{
    /// <summary>The service account this backend acts for, as logged (for example <c>svc-actorauth</c> or its DN).</summary>
    string Account { get; }

    /// <summary>The SPNs registered on the service account now, as stored.</summary>
    Task<IReadOnlyList<string>> GetAccountSpnsAsync(CancellationToken cancellationToken);

    /// <summary>Adds each SPN the account does not hold yet (DsWriteAccountSpn's add); SPNs it holds are left alone.</summary>
    /// <exception cref="SpnConflictException">An SPN is registered on another account; nothing after it is added.</exception>
    Task RegisterSpnsAsync(IReadOnlyList<ServicePrincipalName> spns, CancellationToken cancellationToken);

    /// <summary>Removes the SPN from the service account; no error when it does not hold it.</summary>
    Task RemoveSpnAsync(ServicePrincipalName spn, CancellationToken cancellationToken);

    /// <summary>Creates the service's SCP or updates it in place, and returns it as stored (with its DN, where there is one).</summary>
    Task<ServiceConnectionPoint> PublishScpAsync(ServiceConnectionPoint scp, CancellationToken cancellationToken);

    /// <summary>The SCPs of <paramref name="serviceClass"/> that carry every one of <paramref name="keywords"/> (all of the class when null or empty).</summary>
    Task<IReadOnlyList<ServiceConnectionPoint>> FindScpsAsync(string serviceClass, IReadOnlyList<string>? keywords, CancellationToken cancellationToken);

    /// <summary>Removes the service's SCP (the one <see cref="PublishScpAsync"/> would write for <paramref name="scp"/>); no error when absent.</summary>
    Task RemoveScpAsync(ServiceConnectionPoint scp, CancellationToken cancellationToken);
}
