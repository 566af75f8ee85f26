using ActorAuth.Protocol;
using ActorAuth.Security;

namespace ActorAuth.Server.Dialects;

/// <summary>
/// .NET's NegotiateStream ([MS-NNS]): the client's tokens come as in-progress messages (its last one, when it has
/// one, as "done"); the server answers a leg that goes on with in-progress, completes with exactly one "done"
/// carrying its final token (empty when it has none), and reports a failure with an error message whose code
/// .NET turns into its AuthenticationException (InvalidCredentialException for rejected credentials).
/// </summary>
internal sealed class NegotiateStreamDialect : ServerDialect
{
    public static readonly NegotiateStreamDialect Instance = new();

    public override WireDialect Kind => WireDialect.NegotiateStream;

    public override FrameFormat HandshakeFormat => FrameFormat.NegotiateStreamHandshake;

    public override HandshakeInput Read(byte kind, int payloadLength, bool first) => (NegotiateStreamMessageId)kind switch
    {
        NegotiateStreamMessageId.HandshakeInProgress or NegotiateStreamMessageId.HandshakeDone when payloadLength > 0 => HandshakeInput.Token,
        NegotiateStreamMessageId.HandshakeInProgress or NegotiateStreamMessageId.HandshakeDone =>
            HandshakeInput.Refuse(TeardownReason.EmptyFrame, "a NegotiateStream handshake message without a token"),
        NegotiateStreamMessageId.HandshakeError => HandshakeInput.Refuse(TeardownReason.ClientAborted, "the client ended the handshake with a NegotiateStream error message"),
        _ => HandshakeInput.Refuse(TeardownReason.ProtocolViolation, $"message id 0x{kind:x2} is not a NegotiateStream handshake message"),
    };

    public override OutgoingFrame? Continue(byte[]? token) => Message(NegotiateStreamMessageId.HandshakeInProgress, token ?? []);

    public override OutgoingFrame? Final(byte[]? token) => Message(NegotiateStreamMessageId.HandshakeDone, token ?? []);

    public override OutgoingFrame? Failure(byte[]? token, SecurityStatusCode code) =>
        Message(NegotiateStreamMessageId.HandshakeError, NegotiateStreamCodec.ErrorPayload(ErrorCode(code)));

    /// <summary>The SSPI code .NET's own NegotiateStream server sends for each failure.</summary>
    internal static long ErrorCode(SecurityStatusCode code) => code switch
    {
        SecurityStatusCode.InvalidCredentials or SecurityStatusCode.UnknownCredentials or SecurityStatusCode.TargetUnknown
            or SecurityStatusCode.CredentialsExpired => NegotiateStreamCodec.LogonDenied,
        SecurityStatusCode.InvalidToken => NegotiateStreamCodec.InvalidToken,
        SecurityStatusCode.SecurityQosFailed => NegotiateStreamCodec.TrustFailure,
        _ => NegotiateStreamCodec.InternalError,
    };

    private static OutgoingFrame Message(NegotiateStreamMessageId id, byte[] payload) =>
        new(FrameFormat.NegotiateStreamHandshake, (byte)id, payload);
}
