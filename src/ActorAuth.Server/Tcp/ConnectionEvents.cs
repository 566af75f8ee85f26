using ActorAuth.Protocol;

namespace ActorAuth.Server.Tcp;

/// <summary>
/// What a connection's frame pump tells the actor that owns the connection, one per
/// <see cref="ClientConnection.RequestFrame"/>: exactly one of these arrives for each request.
/// </summary>
public abstract record ConnectionEvent;

/// <summary>One whole frame from the client; the payload is a private copy the receiver owns.</summary>
/// <param name="Payload">The frame's body.</param>
/// <param name="Kind">Its NegotiateStream message id or gss-sample flags; 0 for a length-prefixed frame.</param>
public sealed record FrameReceived(byte[] Payload, byte Kind = 0) : ConnectionEvent;

/// <summary>The client's next header was invalid (zero or over the maximum, or a version not spoken); nothing of its body was read.</summary>
public sealed record FramingFailed(FrameStatus Status, uint DeclaredLength) : ConnectionEvent;

/// <summary>The client's side of the connection ended: cleanly between frames, mid-frame, or with an error.</summary>
public sealed record ConnectionClosed(TeardownReason Reason, string Detail) : ConnectionEvent;
