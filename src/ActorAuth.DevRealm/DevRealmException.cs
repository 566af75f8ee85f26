namespace ActorAuth.DevRealm;

/// <summary>
/// Raised when the dev realm cannot be created, started, stopped or changed. When an external
/// command failed, the message names the command line, its exit code and its standard error,
/// which are also available as properties.
/// </summary>
public sealed class DevRealmException : Exception
{
    /// <summary>Creates an exception that is not tied to an external command.</summary>
    /// <param name="message">What went wrong and, where possible, how to fix it.</param>
    public DevRealmException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception that wraps an underlying cause.</summary>
    /// <param name="message">What went wrong and, where possible, how to fix it.</param>
    /// <param name="innerException">The underlying cause.</param>
    public DevRealmException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for an external command that exited unsuccessfully.</summary>
    /// <param name="commandLine">The command line as run (secrets already redacted).</param>
    /// <param name="exitCode">The command's exit code.</param>
    /// <param name="standardError">Everything the command wrote to standard error.</param>
    public DevRealmException(string commandLine, int exitCode, string standardError)
        : base($"Command `{commandLine}` failed with exit code {exitCode}: {standardError.Trim()}")
    {
        CommandLine = commandLine;
        ExitCode = exitCode;
        StandardError = standardError;
    }

    /// <summary>The failed command line (secrets redacted), or null if no command was involved.</summary>
    public string? CommandLine { get; }

    /// <summary>The failed command's exit code, or null if no command was involved.</summary>
    public int? ExitCode { get; }

    /// <summary>The failed command's standard error, or null if no command was involved.</summary>
    public string? StandardError { get; }
}
