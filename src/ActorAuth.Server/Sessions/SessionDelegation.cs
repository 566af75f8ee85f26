using ActorAuth.Client;

namespace ActorAuth.Server.Sessions;

/// <summary>
/// Delegation from a handler: connect to a second-tier service <em>as the session's client</em> with the credential
/// it delegated (the seed's C → C/S1 → C/S2). The second service sees the client, not this server. A session
/// without a delegated credential gets <see cref="NoDelegatedCredentialException"/>, never a connection made with
/// the server's own identity in the client's place (the seed's "WATCH OUT FOR THIS").
/// </summary>
public static class SessionDelegation
{
    /// <summary>
    /// Connects to <paramref name="host"/>:<paramref name="port"/> and authenticates to <paramref name="spn"/> as the
    /// client, with mutual authentication and the normal protected channel. <paramref name="options"/> may set
    /// timeouts and limits; its credential settings are replaced by the delegated credential.
    /// </summary>
    /// <exception cref="NoDelegatedCredentialException">The client delegated nothing, or the handler did not declare Delegation.</exception>
    /// <exception cref="ActorAuthClientException">Connecting or authenticating to the target failed.</exception>
    public static Task<AuthenticatedChannel> ConnectAsClientAsync(
        this SessionIdentity identity, string host, int port, string spn, ActorAuthClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (identity.DelegatedCredential is not { } delegated)
        {
            throw new NoDelegatedCredentialException(
                $"{identity.ClientPrincipal} delegated no credential to this service (it granted {identity.ImpersonationLevel}), so the server cannot reach {host}:{port} as it");
        }

        options = (options ?? new ActorAuthClientOptions()) with
        {
            SharedCredential = delegated,
            Credential = null,
            ImpersonationLevel = System.Security.Principal.TokenImpersonationLevel.Identification,
        };
        return ActorAuthClient.ConnectAsync(host, port, spn, options, cancellationToken);
    }
}

/// <summary>A handler asked to act as its client with no delegated credential; the message says why, for the client.</summary>
public sealed class NoDelegatedCredentialException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NoDelegatedCredentialException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public NoDelegatedCredentialException()
        : base("the client delegated no credential")
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public NoDelegatedCredentialException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
