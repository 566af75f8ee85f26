namespace ActorAuth.Security;

/// <summary>The security package cannot be used as configured (unknown package, missing keytab): a start-up error, never a per-client one.</summary>
public sealed class SecurityPackageException : Exception
{
    /// <summary>Creates the exception with a message that says what to fix.</summary>
    public SecurityPackageException(string message, Exception? inner = null) : base(message, inner) { }
}
