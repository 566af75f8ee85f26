using ActorAuth.Protocol;
using ActorAuth.Security;

namespace ActorAuth.Server.Dialects;

/// <summary>ActorAuth's own framing: every token is a length-prefixed frame, and a failed leg's KRB-ERROR goes back as one.</summary>
internal sealed class SockauthDialect : ServerDialect
{
    public static readonly SockauthDialect Instance = new();

    public override WireDialect Kind => WireDialect.Sockauth;

    public override FrameFormat HandshakeFormat => FrameFormat.LengthPrefixed;

    public override bool RefusesWithProtectedGreeting => true;

    public override HandshakeInput Read(byte kind, int payloadLength, bool first) => HandshakeInput.Token;

    public override OutgoingFrame? Continue(byte[]? token) => TokenFrame(0, token);

    public override OutgoingFrame? Final(byte[]? token) => TokenFrame(0, token);

    public override OutgoingFrame? Failure(byte[]? token, SecurityStatusCode code) => TokenFrame(0, token);
}
