using System.Security.Principal;

namespace ActorAuth.Server.Sessions;

/// <summary>
/// The application's side of a session: what an authenticated, authorized request does. One handler serves
/// one operation (its <see cref="Operation"/>); the access check runs before a request reaches it. Calls for
/// one session never overlap (its session actor awaits each), but different sessions call concurrently.
/// </summary>
public interface ISessionHandler
{
    /// <summary>The operation name clients invoke and the authorization file grants, e.g. <c>echo</c>.</summary>
    string Operation { get; }

    /// <summary>
    /// The least impersonation level the client must have granted (Identification, Impersonation, Delegation); a
    /// request from a client that granted less is answered "denied", naming the level, and never reaches the
    /// handler. Only a handler that declares Impersonation sees the client's platform token, and only one that
    /// declares Delegation its delegated credential (<see cref="SessionIdentity"/>).
    /// </summary>
    TokenImpersonationLevel RequiredImpersonationLevel => TokenImpersonationLevel.Identification;

    /// <summary>
    /// True for an operation only the authorization file's <c>operators</c> may invoke (besides what its rules grant),
    /// such as <c>sessions-revoke</c>: the greeting does not list it to others and their requests are denied.
    /// </summary>
    bool OperatorsOnly => false;

    /// <summary>A session that may invoke this operation has started (after its greeting was sent).</summary>
    ValueTask OnSessionStartAsync(SessionIdentity identity, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Handles one request and returns the reply bytes, which the session protects and sends.</summary>
    ValueTask<ReadOnlyMemory<byte>> HandleAsync(SessionIdentity identity, ReadOnlyMemory<byte> request, CancellationToken cancellationToken);

    /// <summary>The session has ended (for whatever reason); called once per started session.</summary>
    ValueTask OnSessionEndAsync(SessionIdentity identity, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
