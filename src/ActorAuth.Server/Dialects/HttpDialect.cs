using ActorAuth.Protocol;
using ActorAuth.Security;

namespace ActorAuth.Server.Dialects;

/// <summary>
/// HTTP Negotiate (RFC 4559): a token arrives in a request's <c>Authorization: Negotiate</c> header and goes back in
/// the answer's <c>WWW-Authenticate: Negotiate</c> — a 401 while the context continues, the served response when it
/// completes, a 401 when it fails. The frame's kind tells the <see cref="Http.HttpHandshakeChannel"/> which.
/// </summary>
internal sealed class HttpDialect : ServerDialect
{
    /// <summary>The frame kinds the channel reads.</summary>
    public const byte ContinueKind = 1, FinalKind = 2, FailureKind = 3;

    public static readonly HttpDialect Instance = new();

    public override WireDialect Kind => WireDialect.Http;

    /// <summary>Unused on the wire (tokens travel in headers); the channel checks the token's length against the maximum.</summary>
    public override FrameFormat HandshakeFormat => FrameFormat.LengthPrefixed;

    /// <summary>The served response carries the last token, and the request that carried the client's is served.</summary>
    public override bool CarriesRequests => true;

    public override bool RequiresMutualAuthentication => false;

    public override bool ProtectsMessages => false;

    public override HandshakeInput Read(byte kind, int payloadLength, bool first) => HandshakeInput.Token;

    // A continue leg must answer 401 even without a token, or the client would wait for nothing.
    public override OutgoingFrame? Continue(byte[]? token) => new OutgoingFrame(HandshakeFormat, ContinueKind, token ?? []);

    public override OutgoingFrame? Final(byte[]? token) => TokenFrame(FinalKind, token);

    public override OutgoingFrame? Failure(byte[]? token, SecurityStatusCode code) => TokenFrame(FailureKind, token);
}
