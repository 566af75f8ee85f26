using ActorAuth.Protocol;
using ActorAuth.Security;

namespace ActorAuth.Server;

/// <summary>
/// Why a connection was torn down: one code that the log line, the failure metric and the tests share.
/// Its kebab-case name (<see cref="TeardownReasons.Code"/>) is what logs and metric tags show.
/// </summary>
public enum TeardownReason
{
    /// <summary>The client closed the connection between messages, or the server shut down.</summary>
    Closed,

    /// <summary>The client closed the connection in the middle of a frame.</summary>
    TruncatedFrame,

    /// <summary>The TCP connection was reset or failed.</summary>
    ConnectionError,

    /// <summary>The client sent nothing for longer than the handshake receive timeout.</summary>
    ReceiveTimeout,

    /// <summary>The whole handshake took longer than its deadline (e.g. a client trickling bytes).</summary>
    HandshakeDeadline,

    /// <summary>An authenticated session was idle for longer than its idle timeout.</summary>
    IdleTimeout,

    /// <summary>A send made no progress for the send timeout: the client stopped reading.</summary>
    SendTimeout,

    /// <summary>A frame declared a length of zero, which the protocol forbids.</summary>
    EmptyFrame,

    /// <summary>A frame declared a length above the configured maximum.</summary>
    FrameTooLarge,

    /// <summary>The handshake needed more legs than the configured maximum.</summary>
    TooManyLegs,

    /// <summary>The client's token was malformed or not for the configured package.</summary>
    InvalidToken,

    /// <summary>The client's ticket was for a key this service does not hold, or its credentials were rejected.</summary>
    InvalidCredentials,

    /// <summary>The service has no usable credentials for the ticket (no keytab entry).</summary>
    UnknownCredentials,

    /// <summary>The client's credentials or ticket had expired.</summary>
    Expired,

    /// <summary>The context completed without mutual authentication or the required protection.</summary>
    ProtectionRequirementsNotMet,

    /// <summary>The security package failed for another reason.</summary>
    SecurityFailure,

    /// <summary>A protected message failed its integrity check: tampered, or protected with another key.</summary>
    MessageAltered,

    /// <summary>A protected message was replayed, reordered, or one before it is missing.</summary>
    OutOfSequence,

    /// <summary>A message broke the session protocol (malformed request, legacy token format).</summary>
    ProtocolViolation,

    /// <summary>The client ended the handshake with an error message of its dialect (a NegotiateStream error).</summary>
    ClientAborted,

    /// <summary>A gss-sample message for an operation the client may not invoke: that protocol can only refuse by closing.</summary>
    AccessDenied,

    /// <summary>Server-side code threw; the supervisor stopped the connection's actor.</summary>
    InternalError,

    /// <summary>The server is shutting down and the drain deadline passed.</summary>
    ShuttingDown,

    /// <summary>The token's authenticator had been seen before, on this node or another of the cluster.</summary>
    Replay,

    /// <summary>An operator revoked the principal: its sessions end and its handshakes are refused for a while.</summary>
    Revoked,

    /// <summary>The principal holds max-sessions-per-principal sessions across the cluster.</summary>
    SessionLimit,

    /// <summary>The cluster did not answer the replay check in time and the node refuses rather than accept unchecked.</summary>
    ClusterUnavailable,

    /// <summary>The connection began with a PROXY protocol header, but its peer is not one of the listener's trusted proxies.</summary>
    UntrustedProxy,
}

/// <summary>Conversions between reasons, package statuses and the codes that logs and metrics show.</summary>
public static class TeardownReasons
{
    private static readonly string[] Codes = Enum.GetValues<TeardownReason>().Select(ToKebabCase).ToArray();

    /// <summary>The stable kebab-case code of a reason, e.g. <c>receive-timeout</c>.</summary>
    public static string Code(this TeardownReason reason) => Codes[(int)reason];

    /// <summary>The reason a failed package step ends a handshake for.</summary>
    public static TeardownReason FromSecurityStatus(SecurityStatusCode code) => code switch
    {
        SecurityStatusCode.InvalidToken => TeardownReason.InvalidToken,
        SecurityStatusCode.InvalidCredentials => TeardownReason.InvalidCredentials,
        SecurityStatusCode.UnknownCredentials or SecurityStatusCode.TargetUnknown => TeardownReason.UnknownCredentials,
        SecurityStatusCode.CredentialsExpired or SecurityStatusCode.ContextExpired => TeardownReason.Expired,
        SecurityStatusCode.SecurityQosFailed => TeardownReason.ProtectionRequirementsNotMet,
        SecurityStatusCode.MessageAltered => TeardownReason.MessageAltered,
        SecurityStatusCode.OutOfSequence => TeardownReason.OutOfSequence,
        SecurityStatusCode.Unsupported => TeardownReason.ProtocolViolation,
        _ => TeardownReason.SecurityFailure,
    };

    /// <summary>The reason a framing error ends a connection for.</summary>
    public static TeardownReason FromFrameStatus(FrameStatus status) => status switch
    {
        FrameStatus.EmptyFrame => TeardownReason.EmptyFrame,
        FrameStatus.FrameTooLarge => TeardownReason.FrameTooLarge,
        FrameStatus.UnsupportedVersion => TeardownReason.ProtocolViolation,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not a framing error."),
    };

    private static string ToKebabCase(TeardownReason reason) =>
        string.Concat(reason.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
