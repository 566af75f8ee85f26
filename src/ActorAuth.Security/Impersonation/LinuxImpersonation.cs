using System.Security.Principal;

namespace ActorAuth.Security.Impersonation;

/// <summary>
/// Impersonation on Linux: the principal's local account (MIT's auth_to_local, then the account database) becomes
/// the dedicated thread's fsuid, fsgid and supplementary groups (<see cref="LinuxThreadCredentials"/>) for the
/// duration of the work, then the thread's own identity is restored and read back from the kernel. Needs
/// CAP_SETUID and CAP_SETGID; without them <see cref="Unavailable"/> says so and nothing runs.
/// </summary>
internal sealed class LinuxImpersonation : ClientImpersonation
{
    private readonly ImpersonationThreads? _threads;
    private readonly string? _unavailable;

    public LinuxImpersonation(int threads, int queueLimit)
    {
        _unavailable = LinuxThreadCredentials.MissingCapabilities();
        if (_unavailable is null)
        {
            _threads = new ImpersonationThreads(threads, queueLimit, "actorauth-impersonation");
        }
    }

    public override string? Unavailable => _unavailable;

    public override string Mechanism => "the thread's fsuid, fsgid and groups";

    public override Task<T> RunAsClientAsync<T>(string principal, IIdentity? platformIdentity, Func<T> work)
    {
        if (_threads is null)
        {
            throw new ImpersonationException($"the server cannot impersonate: {_unavailable}", isDenial: false);
        }

        LocalAccount account = LocalAccount.Find(principal, out string reason)
            ?? throw new ImpersonationException($"{principal} cannot be impersonated: {reason}", isDenial: true);
        LinuxThreadCredentials.Snapshot? own = null;
        return _threads.Run(
            enter: () =>
            {
                own = LinuxThreadCredentials.Current();
                LinuxThreadCredentials.Assume(account.Uid, account.Gid, account.Groups, own);
            },
            work,
            leave: () =>
            {
                LinuxThreadCredentials.Revert(own!);
                LinuxThreadCredentials.Snapshot now = LinuxThreadCredentials.Current();
                if (!now.SameAs(own!))
                {
                    throw new InvalidOperationException($"after reverting, the thread has {now}, not {own}");
                }
            });
    }

    public override void Dispose() => _threads?.Dispose();
}
