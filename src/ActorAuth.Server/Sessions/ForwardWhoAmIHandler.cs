using System.Security.Principal;
using System.Text;
using ActorAuth.Client;

namespace ActorAuth.Server.Sessions;

/// <summary>
/// The built-in <c>forward-whoami</c> operation (needs Delegation): the body is <c>HOST:PORT SPN</c> (UTF-8); the
/// server authenticates to that service as the client with the credential the client delegated, invokes its
/// <c>whoami</c> and replies with the answer — the client's principal as the second service saw it. A target not on
/// the allow-list (<see cref="DelegationSettings.Targets"/>) is denied before any connection is made.
/// </summary>
public sealed class ForwardWhoAmIHandler(DelegationSettings settings) : ISessionHandler
{
    /// <summary>The operation name.</summary>
    public const string Name = "forward-whoami";

    /// <inheritdoc />
    public string Operation => Name;

    /// <inheritdoc />
    public TokenImpersonationLevel RequiredImpersonationLevel => TokenImpersonationLevel.Delegation;

    /// <inheritdoc />
    public async ValueTask<ReadOnlyMemory<byte>> HandleAsync(SessionIdentity identity, ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        string text = Encoding.UTF8.GetString(request.Span);
        if (!DelegationTarget.TryParse(text, out DelegationTarget? target, out string error) || target.Spn.Length == 0)
        {
            throw new OperationFailedException($"forward-whoami takes 'HOST:PORT SPN', e.g. '127.0.0.1:2001 actorauth/localhost' ({(error.Length > 0 ? error : "no SPN")})");
        }

        if (!settings.Targets.Contains(target.Address))
        {
            throw new OperationDeniedException($"{target.Address} is not on this server's delegation allow-list (actorauth.server.delegation.targets)");
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.Timeout);
        var options = new ActorAuthClientOptions { ConnectTimeout = settings.Timeout, HandshakeTimeout = settings.Timeout, MaxMessageLength = identity.MaxMessageLength };
        try
        {
            await using AuthenticatedChannel channel = await identity.ConnectAsClientAsync(target.Host, target.Port, target.Spn, options, deadline.Token).ConfigureAwait(false);
            return await channel.RequestAsync(ReadOnlyMemory<byte>.Empty, WhoAmIHandler.Name, deadline.Token).ConfigureAwait(false);
        }
        catch (NoDelegatedCredentialException e)
        {
            throw new OperationDeniedException(e.Message, e);
        }
        catch (ActorAuthClientException e)
        {
            throw new OperationFailedException($"{target.Address} ({target.Spn}) as {identity.ClientPrincipal}: {e.Message}", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new OperationFailedException($"{target.Address} did not answer within {settings.Timeout.TotalSeconds:0.#} s", e);
        }
    }
}
