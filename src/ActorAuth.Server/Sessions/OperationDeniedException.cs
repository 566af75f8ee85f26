namespace ActorAuth.Server.Sessions;

/// <summary>
/// A handler's refusal of this client for this request, meant for the client: the session replies <c>Denied</c>
/// with the message (counted as a denial) and goes on — e.g. the operating system refused the client's account
/// access, or the request names a target the configuration does not allow.
/// </summary>
public sealed class OperationDeniedException : Exception
{
    /// <summary>Creates the refusal; <paramref name="message"/> is sent to the client as it is.</summary>
    public OperationDeniedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the refusal with its cause (logged, never sent).</summary>
    public OperationDeniedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates a refusal with a generic message.</summary>
    public OperationDeniedException()
        : base("access denied")
    {
    }
}
