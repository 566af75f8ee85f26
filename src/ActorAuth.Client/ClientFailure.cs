namespace ActorAuth.Client;

/// <summary>Why a client could not authenticate; each has its own sentence in <see cref="ActorAuthClientException.Message"/>.</summary>
public enum ClientFailure
{
    /// <summary>The TCP connection could not be made.</summary>
    ConnectFailed,

    /// <summary>The KDC or the local package rejected the client's own credentials (wrong password, unknown user, no ticket cache).</summary>
    CredentialsRejected,

    /// <summary>The KDC does not know the target SPN, so no ticket for it exists.</summary>
    TargetUnknown,

    /// <summary>The server refused the client's token and closed the connection (e.g. it holds no key for the SPN the client targeted).</summary>
    ServerRefused,

    /// <summary>The server's answer did not prove it holds the SPN's keys, or it did not offer the required protection.</summary>
    ServerNotProven,

    /// <summary>The server's token was malformed or the security package failed.</summary>
    SecurityFailure,

    /// <summary>The server broke the framing protocol.</summary>
    ProtocolViolation,

    /// <summary>The server did not answer in time.</summary>
    Timeout,

    /// <summary>The connection was lost.</summary>
    ConnectionLost,

    /// <summary>A protected message from the server failed its integrity check, or was replayed or reordered.</summary>
    MessageRejected,

    /// <summary>The server's access check refused the operation for this client.</summary>
    AccessDenied,

    /// <summary>The server serves no such operation.</summary>
    UnknownOperation,

    /// <summary>The operation failed on the server.</summary>
    OperationFailed,

    /// <summary>The directory holds no usable service connection point for the service class and keywords.</summary>
    ServiceNotFound,
}

/// <summary>Authentication with an ActorAuth server failed; <see cref="Failure"/> says why in a form code can act on.</summary>
public sealed class ActorAuthClientException : Exception
{
    /// <summary>Creates the exception with its reason and a sentence for people.</summary>
    public ActorAuthClientException(ClientFailure failure, string message, Exception? inner = null)
        : base(message, inner) => Failure = failure;

    /// <summary>Why authentication failed.</summary>
    public ClientFailure Failure { get; }

    /// <summary>When every instance of a discovered service failed: each attempt, in the order tried; otherwise empty.</summary>
    public IReadOnlyList<InstanceAttempt> Attempts { get; init; } = [];
}
