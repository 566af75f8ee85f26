using ActorAuth.Protocol;
using ActorAuth.Security;

namespace ActorAuth.Server.Dialects;

/// <summary>
/// How one listener kind puts the handshake on the wire: which framing each phase reads, what an incoming
/// handshake frame means, and which frame answers each outcome of a leg. The handshake loop itself is one
/// (<see cref="Actors.HandshakeActor"/>); only these answers differ between sockauth, NegotiateStream and gss-sample.
/// </summary>
internal abstract class ServerDialect
{
    /// <summary>The dialect of <paramref name="kind"/> (stateless, shared by every connection).</summary>
    public static ServerDialect For(WireDialect kind) => kind switch
    {
        WireDialect.NegotiateStream => NegotiateStreamDialect.Instance,
        WireDialect.GssSample => GssSampleDialect.Instance,
        WireDialect.Http => HttpDialect.Instance,
        _ => SockauthDialect.Instance,
    };

    /// <summary>The listener kind this dialect serves.</summary>
    public abstract WireDialect Kind { get; }

    /// <summary>The framing of handshake messages.</summary>
    public abstract FrameFormat HandshakeFormat { get; }

    /// <summary>The framing after the handshake.</summary>
    public virtual FrameFormat SessionFormat => FrameFormat.LengthPrefixed;

    /// <summary>
    /// True when the session begins with ActorAuth's greeting and carries ActorAuth requests and replies, so the
    /// handshake's last token can wait for the greeting and go out with it. False for gss-sample, whose session is
    /// MIT's message/MIC exchange.
    /// </summary>
    public virtual bool CarriesRequests => true;

    /// <summary>
    /// True when a context that completed but misses the listener's requirements is refused with a protected greeting
    /// saying why (sockauth's clients read it); the other dialects refuse in their own failure message.
    /// </summary>
    public virtual bool RefusesWithProtectedGreeting => false;

    /// <summary>
    /// True when a context must have mutual authentication (the seed's ASC_RET_MUTUAL_AUTH check). HTTP says no:
    /// browsers do not all ask for it; the server still answers with its proof whenever the client asks (RFC 4559).
    /// </summary>
    public virtual bool RequiresMutualAuthentication => true;

    /// <summary>True when messages are protected after the handshake; HTTP protects none, so its contexts derive no message keys.</summary>
    public virtual bool ProtectsMessages => true;

    /// <summary>What a handshake frame of <paramref name="kind"/> carrying <paramref name="payloadLength"/> bytes is; <paramref name="first"/> for the connection's first.</summary>
    public abstract HandshakeInput Read(byte kind, int payloadLength, bool first);

    /// <summary>The frame that carries the package's token when it asks for another leg; null for nothing to send.</summary>
    public abstract OutgoingFrame? Continue(byte[]? token);

    /// <summary>The frame that carries the package's last token when the context completes; null for nothing to send.</summary>
    public abstract OutgoingFrame? Final(byte[]? token);

    /// <summary>The frame that tells the client the handshake failed with <paramref name="code"/>; null for nothing to send.</summary>
    public abstract OutgoingFrame? Failure(byte[]? token, SecurityStatusCode code);

    /// <summary>A frame of this dialect's handshake format when there is a token; null otherwise.</summary>
    protected OutgoingFrame? TokenFrame(byte kind, byte[]? token) =>
        token is { Length: > 0 } ? new OutgoingFrame(HandshakeFormat, kind, token) : null;
}

/// <summary>A frame for the connection to write: its framing, kind byte (message id or flags) and payload.</summary>
public readonly record struct OutgoingFrame(FrameFormat Format, byte Kind, ReadOnlyMemory<byte> Payload);

/// <summary>What the handshake makes of one incoming frame.</summary>
/// <param name="Action">Accept it as a token, skip it (read the next), or refuse the connection.</param>
/// <param name="Reason">Why it is refused.</param>
/// <param name="Detail">The log's explanation of a refusal.</param>
internal readonly record struct HandshakeInput(HandshakeAction Action, TeardownReason Reason = TeardownReason.ProtocolViolation, string? Detail = null)
{
    public static readonly HandshakeInput Token = new(HandshakeAction.Token);

    public static readonly HandshakeInput Skip = new(HandshakeAction.Skip);

    public static HandshakeInput Refuse(TeardownReason reason, string detail) => new(HandshakeAction.Refuse, reason, detail);
}

/// <summary>The three things a handshake frame can be.</summary>
internal enum HandshakeAction
{
    /// <summary>A token for the package.</summary>
    Token,

    /// <summary>A frame with no token that the dialect requires (gss-sample's opening NOOP): read the next one.</summary>
    Skip,

    /// <summary>A frame the dialect does not allow here: tear the connection down.</summary>
    Refuse,
}
