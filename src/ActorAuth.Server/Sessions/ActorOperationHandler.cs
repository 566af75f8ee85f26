using Akka.Actor;

namespace ActorAuth.Server.Sessions;

/// <summary>
/// Serves an operation with an actor of the application: each allowed request is sent to it as an
/// <see cref="AuthenticatedRequest"/> and its reply awaited. An actor that does not answer within the handler
/// timeout gets the client a <c>Failed</c> reply that says so, and the session goes on (the late reply is dropped).
/// </summary>
public sealed class ActorOperationHandler : ISessionHandler
{
    private readonly Func<IActorRef?> _actor;
    private readonly TimeSpan _timeout;

    /// <summary>
    /// Serves <paramref name="operation"/> with the actor <paramref name="actor"/> returns (looked up per request, so
    /// an actor registered after ActorAuth started is found; null: not available, the request fails).
    /// </summary>
    public ActorOperationHandler(string operation, Func<IActorRef?> actor, TimeSpan timeout)
    {
        ArgumentException.ThrowIfNullOrEmpty(operation);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        Operation = operation;
        _actor = actor;
        _timeout = timeout;
    }

    /// <inheritdoc />
    public string Operation { get; }

    /// <inheritdoc />
    public async ValueTask<ReadOnlyMemory<byte>> HandleAsync(SessionIdentity identity, ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        IActorRef actor = _actor() ?? throw new OperationFailedException($"the operation '{Operation}' is not available right now");
        object reply;
        try
        {
            reply = await actor.Ask<object>(new AuthenticatedRequest(identity, Operation, request), _timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (AskTimeoutException e)
        {
            throw new OperationFailedException($"the operation '{Operation}' did not answer within {_timeout.TotalSeconds:0.###} s", e);
        }

        return reply switch
        {
            byte[] bytes => bytes,
            ReadOnlyMemory<byte> memory => memory,
            Memory<byte> memory => memory,
            _ => throw new InvalidOperationException($"The actor {actor.Path} serving '{Operation}' replied with a {reply.GetType().Name}; it must reply with bytes or Status.Failure."),
        };
    }
}
