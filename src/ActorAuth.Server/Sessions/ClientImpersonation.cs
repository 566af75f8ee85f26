using System.Security.Principal;

namespace ActorAuth.Server.Sessions;

/// <summary>
/// The seed's ImpersonateSecurityContext: runs a request's handler as the client, so the operating system
/// checks access with the client's rights. Only on Windows, with a token from SSPI, and only when the client
/// allowed Impersonation or Delegation. On Linux GSSAPI yields a name, not a token, so handlers run as the
/// service and the access check of the authorization file is what protects them (see README).
/// </summary>
public static class ClientImpersonation
{
    /// <summary>True when <see cref="RunAsync{T}"/> will really run as the client for this identity.</summary>
    public static bool IsAvailable(IIdentity? platformIdentity, TokenImpersonationLevel allowed) =>
        OperatingSystem.IsWindows() && platformIdentity is WindowsIdentity && allowed >= TokenImpersonationLevel.Impersonation;

    /// <summary>Runs <paramref name="action"/> as the client where <see cref="IsAvailable"/>, else as the service.</summary>
    public static ValueTask<T> RunAsync<T>(IIdentity? platformIdentity, TokenImpersonationLevel allowed, Func<ValueTask<T>> action)
    {
        if (OperatingSystem.IsWindows() && platformIdentity is WindowsIdentity windows && allowed >= TokenImpersonationLevel.Impersonation)
        {
            return new ValueTask<T>(WindowsIdentity.RunImpersonatedAsync(windows.AccessToken, () => action().AsTask()));
        }

        return action();
    }
}
