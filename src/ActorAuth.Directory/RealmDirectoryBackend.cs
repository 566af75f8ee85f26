using System.Text.Json;
using ActorAuth.DevRealm;

namespace ActorAuth.Directory;

/// <summary>
/// The dev realm as a directory. Registering an SPN creates that service principal in the realm's MIT KDC with
/// kadmin.local and adds its keys to the service keytab, so it is usable for tickets at once. The KDC has no notion
/// of an account owning principals, so ownership lives in <c>&lt;realm&gt;/directory/spn-owners.json</c> (SPN → account):
/// an SPN another account owns is a conflict, as in Active Directory. SCPs are JSON files in
/// <c>&lt;realm&gt;/directory/scp/</c>, one per name (<see cref="ScpNaming"/>: one per service instance). Files are replaced atomically, and read-modify-write cycles hold an exclusive
/// lock on <c>directory/.lock</c>, so several services (processes) can share one realm.
/// </summary>
public sealed class RealmDirectoryBackend : IDirectoryBackend
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };
    private static readonly TimeSpan LockRetryDelay = TimeSpan.FromMilliseconds(20);

    private readonly DevRealm.DevRealm _realm;
    private readonly string? _keytabPath;
    private readonly string _directory;

    /// <summary>Acts for <paramref name="account"/> in <paramref name="realm"/>.</summary>
    /// <param name="realm">The dev realm (its KDC must be running for the directory to count as reachable).</param>
    /// <param name="account">The service account name that owns the SPNs it registers, for example <c>actorauth</c>.</param>
    /// <param name="keytabPath">Where registered SPNs' keys go; the realm's service keytab when null.</param>
    public RealmDirectoryBackend(DevRealm.DevRealm realm, string account, string? keytabPath = null)
    {
        ArgumentNullException.ThrowIfNull(realm);
        ArgumentException.ThrowIfNullOrWhiteSpace(account);
        _realm = realm;
        Account = account;
        _keytabPath = keytabPath;
        _directory = Path.Combine(realm.Directory, "directory");
    }

    /// <inheritdoc />
    public string Account { get; }

    private string OwnersPath => Path.Combine(_directory, "spn-owners.json");

    private string ScpDirectory => Path.Combine(_directory, "scp");

    /// <summary>The SPNs this account owns whose principals exist in the KDC's database.</summary>
    public async Task<IReadOnlyList<string>> GetAccountSpnsAsync(CancellationToken cancellationToken)
    {
        EnsureReachable();
        var owners = await ReadOwnersAsync(cancellationToken).ConfigureAwait(false);
        var principals = await RealmCallAsync(() => _realm.ListPrincipalsAsync(cancellationToken)).ConfigureAwait(false);
        return [.. owners.Where(pair => pair.Value == Account && principals.Contains(PrincipalOf(pair.Key))).Select(pair => pair.Key).Order(StringComparer.Ordinal)];
    }

    /// <inheritdoc />
    public async Task RegisterSpnsAsync(IReadOnlyList<ServicePrincipalName> spns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spns);
        EnsureReachable();
        await using var gate = await LockAsync(cancellationToken).ConfigureAwait(false);
        var owners = await ReadOwnersAsync(cancellationToken).ConfigureAwait(false);
        foreach (var spn in spns)
        {
            var text = spn.ToString();
            if (owners.TryGetValue(text, out var owner) && owner != Account)
            {
                throw new SpnConflictException(text, Account, owner);
            }

            // The principal first, then the claim: a crash in between leaves an unowned principal, which the next
            // registration (by anyone) claims, rather than a claim without keys.
            await RealmCallAsync(() => _realm.AddServicePrincipalAsync(text, _keytabPath, cancellationToken)).ConfigureAwait(false);
            owners[text] = Account;
            await WriteOwnersAsync(owners, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Drops the account's claim on <paramref name="spn"/>; the principal stays in the KDC (tickets already issued stay valid).</summary>
    public async Task RemoveSpnAsync(ServicePrincipalName spn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spn);
        EnsureReachable();
        await using var gate = await LockAsync(cancellationToken).ConfigureAwait(false);
        var owners = await ReadOwnersAsync(cancellationToken).ConfigureAwait(false);
        if (owners.TryGetValue(spn.ToString(), out var owner) && owner == Account)
        {
            owners.Remove(spn.ToString());
            await WriteOwnersAsync(owners, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<ServiceConnectionPoint> PublishScpAsync(ServiceConnectionPoint scp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scp);
        EnsureReachable();
        var stored = scp with { DistinguishedName = null };
        System.IO.Directory.CreateDirectory(ScpDirectory);
        await AtomicFile.WriteAllTextAsync(ScpPath(stored), JsonSerializer.Serialize(stored, JsonOptions), cancellationToken).ConfigureAwait(false);
        return stored;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ServiceConnectionPoint>> FindScpsAsync(string serviceClass, IReadOnlyList<string>? keywords, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceClass);
        EnsureReachable();
        if (!System.IO.Directory.Exists(ScpDirectory))
        {
            return [];
        }

        var found = new List<ServiceConnectionPoint>();
        foreach (var path in System.IO.Directory.EnumerateFiles(ScpDirectory, "*.json").Order(StringComparer.Ordinal))
        {
            var scp = JsonSerializer.Deserialize<ServiceConnectionPoint>(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false), JsonOptions);
            if (scp is not null && string.Equals(scp.ServiceClassName, serviceClass, StringComparison.OrdinalIgnoreCase) && scp.HasKeywords(keywords ?? []))
            {
                found.Add(scp);
            }
        }

        return found;
    }

    /// <inheritdoc />
    public Task RemoveScpAsync(ServiceConnectionPoint scp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scp);
        EnsureReachable();
        File.Delete(ScpPath(scp));
        return Task.CompletedTask;
    }

    private string ScpPath(ServiceConnectionPoint scp) => Path.Combine(ScpDirectory, ScpNaming.Of(scp) + ".json");

    private string PrincipalOf(string spn) => $"{spn}@{_realm.RealmName}";

    /// <summary>kadmin.local edits the database without the KDC, but tickets need it: a stopped KDC is an unreachable directory.</summary>
    private void EnsureReachable()
    {
        if (!_realm.IsKdcRunning)
        {
            throw new DirectoryUnavailableException($"The dev realm {_realm.RealmName} in {_realm.Directory} has no running KDC (run: actorauth realm up).");
        }
    }

    private async Task<T> RealmCallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (DevRealmException e)
        {
            throw new DirectoryUnavailableException($"The dev realm {_realm.RealmName} did not answer: {e.Message}", e);
        }
    }

    private Task RealmCallAsync(Func<Task> call) => RealmCallAsync(async () =>
    {
        await call().ConfigureAwait(false);
        return true;
    });

    private async Task<Dictionary<string, string>> ReadOwnersAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(OwnersPath))
        {
            return new(StringComparer.OrdinalIgnoreCase);
        }

        var stored = JsonSerializer.Deserialize<Dictionary<string, string>>(await File.ReadAllTextAsync(OwnersPath, cancellationToken).ConfigureAwait(false)) ?? [];
        // SPNs match case-insensitively, as in Active Directory.
        return new Dictionary<string, string>(stored, StringComparer.OrdinalIgnoreCase);
    }

    private Task WriteOwnersAsync(Dictionary<string, string> owners, CancellationToken cancellationToken) =>
        AtomicFile.WriteAllTextAsync(OwnersPath, JsonSerializer.Serialize(new SortedDictionary<string, string>(owners, StringComparer.Ordinal), JsonOptions), cancellationToken);

    /// <summary>An exclusive lock on <c>directory/.lock</c>; .NET takes an advisory flock for FileShare.None on Unix, so other processes wait too.</summary>
    private async Task<FileStream> LockAsync(CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, ".lock");
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(LockRetryDelay, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
