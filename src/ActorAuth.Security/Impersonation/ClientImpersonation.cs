using System.Security.Principal;

namespace ActorAuth.Security.Impersonation;

/// <summary>
/// The seed's ImpersonateSecurityContext … RevertSecurityContext: runs synchronous work as the authenticated
/// client, so the operating system checks access with the client's rights when the work opens a resource. Linux
/// (<see cref="LinuxImpersonation"/>): the principal's local account (auth_to_local) as the thread's file-system
/// identity. Windows (<see cref="WindowsImpersonation"/>): the client's token from SSPI. Elsewhere, or without
/// the privileges to switch, <see cref="Unavailable"/> says why and nothing runs — never silently as the server.
/// The work runs on a dedicated thread (<see cref="ImpersonationThreads"/>) and must not await: nothing of it may
/// continue on another thread.
/// </summary>
public abstract class ClientImpersonation : IDisposable
{
    /// <summary>Why impersonation cannot run in this process, or null when it can.</summary>
    public abstract string? Unavailable { get; }

    /// <summary>What the operating system checks access as on this platform, for logs (e.g. "fsuid/fsgid/groups").</summary>
    public abstract string Mechanism { get; }

    /// <summary>
    /// Runs <paramref name="work"/> as <paramref name="principal"/> and returns its result once the thread is the
    /// server again. <paramref name="platformIdentity"/> is the context's token where the platform has one.
    /// </summary>
    /// <exception cref="ImpersonationException">The client cannot be impersonated (<see cref="ImpersonationException.IsDenial"/>), or the server cannot now.</exception>
    public abstract Task<T> RunAsClientAsync<T>(string principal, IIdentity? platformIdentity, Func<T> work);

    /// <summary>Stops the dedicated threads once their queued work is done.</summary>
    public abstract void Dispose();

    /// <summary>This platform's impersonation, with <paramref name="threads"/> dedicated threads and at most <paramref name="queueLimit"/> items waiting.</summary>
    public static ClientImpersonation Create(int threads, int queueLimit) =>
        OperatingSystem.IsWindows() ? new WindowsImpersonation(threads, queueLimit)
        : OperatingSystem.IsLinux() ? new LinuxImpersonation(threads, queueLimit)
        : new NoImpersonation($"impersonation is not built for {Environment.OSVersion.Platform}");

    /// <summary>A platform or process that cannot impersonate: every call is refused with the reason.</summary>
    private sealed class NoImpersonation(string reason) : ClientImpersonation
    {
        public override string? Unavailable => reason;

        public override string Mechanism => "none";

        public override Task<T> RunAsClientAsync<T>(string principal, IIdentity? platformIdentity, Func<T> work) =>
            throw new ImpersonationException($"the server cannot impersonate: {reason}", isDenial: false);

        public override void Dispose() { }
    }
}
