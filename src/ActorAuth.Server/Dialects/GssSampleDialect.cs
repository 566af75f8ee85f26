using ActorAuth.Protocol;
using ActorAuth.Security;

namespace ActorAuth.Server.Dialects;

/// <summary>
/// MIT's gss-sample protocol as <c>gss-server</c> speaks it: the client opens with NOOP|CONTEXT_NEXT, sends its
/// context tokens flagged CONTEXT, and gets every output token back flagged CONTEXT — also after a failure, as
/// gss-server sends it. An opening NOOP without CONTEXT_NEXT asks for an unauthenticated connection, which
/// gss-server allows and this service refuses.
/// </summary>
internal sealed class GssSampleDialect : ServerDialect
{
    public static readonly GssSampleDialect Instance = new();

    public override WireDialect Kind => WireDialect.GssSample;

    public override FrameFormat HandshakeFormat => FrameFormat.GssSample;

    public override FrameFormat SessionFormat => FrameFormat.GssSample;

    public override bool CarriesRequests => false;

    public override HandshakeInput Read(byte kind, int payloadLength, bool first)
    {
        var flags = (GssSampleFlags)kind;
        if (first)
        {
            return !flags.HasFlag(GssSampleFlags.Noop)
                ? HandshakeInput.Refuse(TeardownReason.ProtocolViolation, $"the first token has flags 0x{kind:x2}, not NOOP (a version-1 client, which gss-server refuses too)")
                : !flags.HasFlag(GssSampleFlags.ContextNext)
                    ? HandshakeInput.Refuse(TeardownReason.ProtocolViolation, "the client asked for an unauthenticated connection (NOOP without CONTEXT_NEXT); this service requires authentication")
                    : HandshakeInput.Skip;
        }

        return !flags.HasFlag(GssSampleFlags.Context)
            ? HandshakeInput.Refuse(TeardownReason.ProtocolViolation, $"a token with flags 0x{kind:x2} during the handshake, where only CONTEXT tokens belong")
            : payloadLength == 0
                ? HandshakeInput.Refuse(TeardownReason.EmptyFrame, "an empty CONTEXT token")
                : HandshakeInput.Token;
    }

    public override OutgoingFrame? Continue(byte[]? token) => TokenFrame((byte)GssSampleFlags.Context, token);

    public override OutgoingFrame? Final(byte[]? token) => TokenFrame((byte)GssSampleFlags.Context, token);

    public override OutgoingFrame? Failure(byte[]? token, SecurityStatusCode code) => TokenFrame((byte)GssSampleFlags.Context, token);
}
