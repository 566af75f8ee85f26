namespace ActorAuth.Directory.Tests;

/// <summary>
/// A backend in memory that is unreachable for its first <see cref="FailuresLeft"/> calls: it exists to test the
/// actor's retry policy; the real backends are tested against a real KDC and a real Samba DC.
/// </summary>
public sealed class StubBackend : IDirectoryBackend
{
    private readonly List<string> _spns = [];
    private readonly Lock _gate = new();

    public int FailuresLeft { get; set; }

    public int Calls { get; private set; }

    public string? ConflictingSpnOwner { get; set; }

    public ServiceConnectionPoint? Scp { get; private set; }

    public string Account => "svc-stub";

    public Task<IReadOnlyList<string>> GetAccountSpnsAsync(CancellationToken cancellationToken)
    {
        Enter();
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<string>>([.. _spns]);
        }
    }

    public Task RegisterSpnsAsync(IReadOnlyList<ServicePrincipalName> spns, CancellationToken cancellationToken)
    {
        Enter();
        if (ConflictingSpnOwner is not null)
        {
            throw new SpnConflictException(spns[0].ToString(), Account, ConflictingSpnOwner);
        }

        lock (_gate)
        {
            _spns.AddRange(spns.Select(s => s.ToString()).Except(_spns));
        }

        return Task.CompletedTask;
    }

    public Task RemoveSpnAsync(ServicePrincipalName spn, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ServiceConnectionPoint> PublishScpAsync(ServiceConnectionPoint scp, CancellationToken cancellationToken)
    {
        Enter();
        Scp = scp with { DistinguishedName = "CN=stub" };
        return Task.FromResult(Scp);
    }

    public Task<IReadOnlyList<ServiceConnectionPoint>> FindScpsAsync(string serviceClass, IReadOnlyList<string>? keywords, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task RemoveScpAsync(ServiceConnectionPoint scp, CancellationToken cancellationToken)
    {
        Enter();
        Scp = null;
        return Task.CompletedTask;
    }

    private void Enter()
    {
        lock (_gate)
        {
            Calls++;
            if (FailuresLeft > 0)
            {
                FailuresLeft--;
                throw new DirectoryUnavailableException("connection refused (stub)");
            }
        }
    }
}
