namespace ActorAuth.Security.Impersonation;

/// <summary>
/// Impersonated work did not run. <see cref="IsDenial"/>: the client may not be impersonated (no local account,
/// no impersonation level); otherwise the server could not do it now (queue full, stopping, unavailable here).
/// The message is meant for the client.
/// </summary>
public sealed class ImpersonationException : Exception
{
    /// <summary>Creates the refusal.</summary>
    public ImpersonationException(string message, bool isDenial, Exception? innerException = null)
        : base(message, innerException) => IsDenial = isDenial;

    /// <summary>Creates a refusal that is not a denial.</summary>
    public ImpersonationException()
        : this("impersonation failed", isDenial: false)
    {
    }

    /// <summary>Creates a refusal that is not a denial.</summary>
    public ImpersonationException(string message)
        : this(message, isDenial: false)
    {
    }

    /// <summary>Creates a refusal that is not a denial.</summary>
    public ImpersonationException(string message, Exception innerException)
        : this(message, isDenial: false, innerException)
    {
    }

    /// <summary>True when the client is refused (answered "denied"), false when the server could not (answered "failed").</summary>
    public bool IsDenial { get; }
}
