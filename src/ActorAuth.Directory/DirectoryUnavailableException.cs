namespace ActorAuth.Directory;

/// <summary>The directory could not be reached (server down, connection refused, timed out); worth retrying.</summary>
public sealed class DirectoryUnavailableException : Exception
{
    /// <summary>Creates the exception with what was tried and the underlying cause.</summary>
    public DirectoryUnavailableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
