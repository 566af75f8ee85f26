using System.Net.Security;

namespace ActorAuth.Security;

/// <summary>
/// The result of one package call: a code that logs and metrics share, and a sentence that says what it
/// means for the person reading the log. Failures are data, never exceptions.
/// </summary>
public readonly record struct SecurityStatus(SecurityStatusCode Code, string Message)
{
    /// <summary>The context is established.</summary>
    public static SecurityStatus Completed { get; } = new(SecurityStatusCode.Completed, "security context established");

    /// <summary>Another leg is needed.</summary>
    public static SecurityStatus ContinueNeeded { get; } = new(SecurityStatusCode.ContinueNeeded, "continue needed");

    /// <summary>True when the context failed and must be disposed.</summary>
    public bool IsError => Code >= SecurityStatusCode.Failure;

    /// <summary>Maps the platform's status to ActorAuth's, with a sentence for the log.</summary>
    public static SecurityStatus From(NegotiateAuthenticationStatusCode code) => code switch
    {
        NegotiateAuthenticationStatusCode.Completed => Completed,
        NegotiateAuthenticationStatusCode.ContinueNeeded => ContinueNeeded,
        NegotiateAuthenticationStatusCode.InvalidToken => new(SecurityStatusCode.InvalidToken, "the peer's token is malformed or not for this security package"),
        NegotiateAuthenticationStatusCode.InvalidCredentials => new(SecurityStatusCode.InvalidCredentials, "the credentials were rejected (wrong password, or a ticket for a key this service does not hold)"),
        NegotiateAuthenticationStatusCode.UnknownCredentials => new(SecurityStatusCode.UnknownCredentials, "no usable credentials (no keytab entry for the service, or no ticket cache for the client)"),
        NegotiateAuthenticationStatusCode.CredentialsExpired => new(SecurityStatusCode.CredentialsExpired, "the credentials have expired"),
        NegotiateAuthenticationStatusCode.ContextExpired => new(SecurityStatusCode.ContextExpired, "the security context has expired"),
        NegotiateAuthenticationStatusCode.TargetUnknown => new(SecurityStatusCode.TargetUnknown, "the target service principal is unknown"),
        NegotiateAuthenticationStatusCode.Unsupported => new(SecurityStatusCode.Unsupported, "the security package or requested protection is not supported here"),
        NegotiateAuthenticationStatusCode.QopNotSupported => new(SecurityStatusCode.Unsupported, "the requested quality of protection is not supported"),
        NegotiateAuthenticationStatusCode.MessageAltered => new(SecurityStatusCode.MessageAltered, "the message failed its integrity check (tampered, or the wrong key)"),
        NegotiateAuthenticationStatusCode.OutOfSequence => new(SecurityStatusCode.OutOfSequence, "the message arrived out of sequence"),
        NegotiateAuthenticationStatusCode.SecurityQosFailed => new(SecurityStatusCode.SecurityQosFailed, "the context lacks a required quality of protection"),
        NegotiateAuthenticationStatusCode.BadBinding => new(SecurityStatusCode.BadBinding, "the channel binding did not match"),
        NegotiateAuthenticationStatusCode.ImpersonationValidationFailed => new(SecurityStatusCode.SecurityQosFailed, "the impersonation level could not be validated"),
        _ => new(SecurityStatusCode.Failure, $"the security package failed ({code})"),
    };

    /// <inheritdoc />
    public override string ToString() => $"{Code}: {Message}";
}
