using System.Buffers;
using System.IO.Pipelines;
using ActorAuth.Protocol;

namespace ActorAuth.Client;

/// <summary>The client's side of the framing: whole frames over a stream, header and body in one flush.</summary>
internal sealed class FramedStream : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private readonly PipeWriter _writer;

    public FramedStream(Stream stream)
    {
        _stream = stream;
        _reader = PipeReader.Create(stream);
        _writer = PipeWriter.Create(stream);
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        FrameCodec.WriteFrame(_writer, payload.Span, int.MaxValue);
        await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The next frame's payload, or null if the server closed the connection cleanly between frames.</summary>
    /// <exception cref="ActorAuthClientException">The server broke the framing (or exceeded <paramref name="maxFrameLength"/>) or closed mid-frame.</exception>
    public async ValueTask<byte[]?> ReceiveAsync(int maxFrameLength, CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult read = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = read.Buffer;
            FrameStatus status = FrameCodec.TryReadFrame(ref buffer, maxFrameLength, out ReadOnlySequence<byte> payload, out uint declared);
            switch (status)
            {
                case FrameStatus.Complete:
                    byte[] bytes = payload.ToArray();
                    _reader.AdvanceTo(buffer.Start);
                    return bytes;
                case FrameStatus.EmptyFrame or FrameStatus.FrameTooLarge:
                    _reader.AdvanceTo(buffer.Start);
                    throw new ActorAuthClientException(ClientFailure.ProtocolViolation,
                        $"The server sent a frame header declaring {declared} bytes ({status}; maximum {maxFrameLength}).");
            }

            _reader.AdvanceTo(buffer.Start, buffer.End);
            if (read.IsCompleted)
            {
                return buffer.IsEmpty
                    ? null
                    : throw new ActorAuthClientException(ClientFailure.ConnectionLost, $"The server closed the connection {buffer.Length} bytes into a frame.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.CompleteAsync().ConfigureAwait(false);
        await _writer.CompleteAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
    }
}
