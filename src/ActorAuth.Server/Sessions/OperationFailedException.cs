namespace ActorAuth.Server.Sessions;

/// <summary>
/// A handler's refusal whose message is meant for the client: the session replies <c>Failed</c> with this message
/// and goes on. Any other exception from a handler is logged and answered with a generic reason, so no internals
/// reach the client.
/// </summary>
public sealed class OperationFailedException : Exception
{
    /// <summary>Creates the refusal; <paramref name="message"/> is sent to the client as it is.</summary>
    public OperationFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the refusal with its cause (logged, never sent).</summary>
    public OperationFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates a refusal with a generic message.</summary>
    public OperationFailedException()
        : base("the operation failed")
    {
    }
}
