using System.Buffers;
using System.IO.Pipelines;
using ActorAuth.Protocol;

namespace ActorAuth.Client;

/// <summary>The client library's <see cref="IFrameTransport"/>: whole frames over a stream, header and body in one flush.</summary>
internal sealed class FramedStream : IFrameTransport, IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private readonly PipeWriter _writer;

    public FramedStream(Stream stream)
    {
        _stream = stream;
        // The stream is this type's to close, after both pipes: left to the pipes, completing the reader would close
        // it under a writer still holding the bytes of a send that was cancelled.
        _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        _writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
    }

    public async ValueTask SendAsync(FrameFormat format, byte kind, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        WireFrames.Write(format, _writer, kind, payload.Span);
        await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<ReceivedFrame?> ReceiveAsync(FrameFormat format, int maxPayloadLength, CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult read = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = read.Buffer;
            FrameStatus status = WireFrames.TryRead(format, ref buffer, maxPayloadLength, out byte kind, out ReadOnlySequence<byte> payload, out uint declared);
            switch (status)
            {
                case FrameStatus.Complete:
                    byte[] bytes = payload.ToArray();
                    _reader.AdvanceTo(buffer.Start);
                    return new ReceivedFrame(kind, bytes);
                case not FrameStatus.Incomplete:
                    _reader.AdvanceTo(buffer.Start);
                    throw new ActorAuthClientException(ClientFailure.ProtocolViolation,
                        $"The server sent a {format} header declaring {declared} bytes ({status}; maximum {maxPayloadLength}).");
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

    /// <summary>Closes the connection; bytes of a cancelled send that the server will never read are dropped, not waited for.</summary>
    public async ValueTask DisposeAsync()
    {
        await _reader.CompleteAsync().ConfigureAwait(false);
        _writer.CancelPendingFlush();
        await _stream.DisposeAsync().ConfigureAwait(false);
        try
        {
            await _writer.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The unsent rest of a cancelled send had nowhere to go: the connection is closed, as asked.
        }
    }
}
