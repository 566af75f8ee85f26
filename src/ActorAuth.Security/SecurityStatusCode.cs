namespace ActorAuth.Security;

/// <summary>
/// What a step of the security package reported, in the seed's terms (SEC_E_* / GSS_S_*). Success codes
/// come first; every code from <see cref="Failure"/> on ends the context.
/// </summary>
public enum SecurityStatusCode
{
    /// <summary>The context is established (SEC_E_OK, GSS_S_COMPLETE).</summary>
    Completed,

    /// <summary>Another leg is needed: send the output token and wait for the peer's (SEC_I_CONTINUE_NEEDED).</summary>
    ContinueNeeded,

    /// <summary>An unspecified failure of the package (SEC_E_INTERNAL_ERROR, GSS_S_FAILURE).</summary>
    Failure,

    /// <summary>The peer's token is malformed or not for this package (SEC_E_INVALID_TOKEN, GSS_S_DEFECTIVE_TOKEN).</summary>
    InvalidToken,

    /// <summary>The credentials were rejected: wrong password, or a ticket for a key this service does not hold (SEC_E_LOGON_DENIED).</summary>
    InvalidCredentials,

    /// <summary>No usable credentials: no keytab entry for the service, no ticket cache for the client (SEC_E_NO_CREDENTIALS).</summary>
    UnknownCredentials,

    /// <summary>The credentials have expired (SEC_E_CONTEXT_EXPIRED, GSS_S_CREDENTIALS_EXPIRED).</summary>
    CredentialsExpired,

    /// <summary>The context has expired (GSS_S_CONTEXT_EXPIRED).</summary>
    ContextExpired,

    /// <summary>The target name is unknown to the KDC (SEC_E_TARGET_UNKNOWN, GSS_S_BAD_NAME).</summary>
    TargetUnknown,

    /// <summary>The requested protection or mechanism is not supported (SEC_E_UNSUPPORTED_FUNCTION).</summary>
    Unsupported,

    /// <summary>A message failed its integrity check: tampered or wrong key (SEC_E_MESSAGE_ALTERED, GSS_S_BAD_SIG).</summary>
    MessageAltered,

    /// <summary>A message arrived out of sequence (SEC_E_OUT_OF_SEQUENCE, GSS_S_GAP_TOKEN / GSS_S_UNSEQ_TOKEN).</summary>
    OutOfSequence,

    /// <summary>The context lacks a quality of protection that was required: mutual authentication, signing or encryption.</summary>
    SecurityQosFailed,

    /// <summary>The channel binding did not match (SEC_E_BAD_BINDINGS).</summary>
    BadBinding,
}
