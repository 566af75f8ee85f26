namespace ActorAuth.Server.Sessions;

/// <summary>
/// What an actor that serves an operation receives (<see cref="ActorOperationHandler"/>): one request of an
/// authenticated session that the access check has already allowed. Reply to <c>Sender</c> with the reply body
/// (<c>byte[]</c> or <c>ReadOnlyMemory&lt;byte&gt;</c>), or with <c>Status.Failure</c>: an
/// <see cref="OperationFailedException"/> sends its message to the client, any other failure a generic reason.
/// </summary>
/// <param name="Identity">Who the client is and how the session is protected.</param>
/// <param name="Operation">The operation invoked (never empty: an empty name has been resolved to the default).</param>
/// <param name="Body">The request body; the receiver may keep it (it is not reused).</param>
public sealed record AuthenticatedRequest(SessionIdentity Identity, string Operation, ReadOnlyMemory<byte> Body);
