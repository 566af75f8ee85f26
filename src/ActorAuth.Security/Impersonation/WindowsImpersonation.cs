using System.Runtime.Versioning;
using System.Security.Principal;

namespace ActorAuth.Security.Impersonation;

/// <summary>
/// Impersonation on Windows, the seed's own: the work runs under the client's token from SSPI
/// (<see cref="WindowsIdentity.RunImpersonated{T}"/>, which reverts before it returns), on a dedicated thread as on
/// Linux. Built and compiled here, not run: these machines are Linux (see docs/IMPERSONATION.md).
/// </summary>
[SupportedOSPlatform("windows")]
internal sealed class WindowsImpersonation(int threads, int queueLimit) : ClientImpersonation
{
    private readonly ImpersonationThreads _threads = new(threads, queueLimit, "actorauth-impersonation");

    public override string? Unavailable => null;

    public override string Mechanism => "the client's Windows token";

    public override Task<T> RunAsClientAsync<T>(string principal, IIdentity? platformIdentity, Func<T> work)
    {
        if (platformIdentity is not WindowsIdentity windows)
        {
            throw new ImpersonationException($"{principal} cannot be impersonated: the security context carries no Windows token", isDenial: true);
        }

        return _threads.Run(
            enter: () => { },
            () => WindowsIdentity.RunImpersonated(windows.AccessToken, work),
            leave: () =>
            {
                if (WindowsIdentity.GetCurrent(TokenAccessLevels.Query) is { ImpersonationLevel: not TokenImpersonationLevel.None } still)
                {
                    throw new InvalidOperationException($"the thread still impersonates {still.Name}");
                }
            });
    }

    public override void Dispose() => _threads.Dispose();
}
