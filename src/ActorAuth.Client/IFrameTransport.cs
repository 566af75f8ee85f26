using ActorAuth.Protocol;

namespace ActorAuth.Client;

/// <summary>
/// Whole frames over one client connection, in whichever <see cref="FrameFormat"/> the conversation is at, so
/// <see cref="ClientDialect"/>'s handshake and message exchange run unchanged over the client library's stream
/// and the bench's own sockets and buffers. Used by one caller at a time.
/// </summary>
public interface IFrameTransport
{
    /// <summary>Sends one frame: <paramref name="kind"/> is its NegotiateStream message id or gss-sample flags byte (ignored for length-prefixed frames).</summary>
    ValueTask SendAsync(FrameFormat format, byte kind, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);

    /// <summary>
    /// Receives the next frame, its payload valid until the next call; null if the server closed the connection
    /// cleanly between frames.
    /// </summary>
    /// <exception cref="ActorAuthClientException">The header is malformed or declares more than <paramref name="maxPayloadLength"/> (<see cref="ClientFailure.ProtocolViolation"/>), or the connection closed mid-frame (<see cref="ClientFailure.ConnectionLost"/>).</exception>
    ValueTask<ReceivedFrame?> ReceiveAsync(FrameFormat format, int maxPayloadLength, CancellationToken cancellationToken);
}

/// <summary>One received frame.</summary>
/// <param name="Kind">The NegotiateStream message id or gss-sample flags byte; 0 for a length-prefixed frame.</param>
/// <param name="Payload">The frame's body, possibly empty (a NOOP, a final "done" without a token).</param>
public readonly record struct ReceivedFrame(byte Kind, ReadOnlyMemory<byte> Payload);
