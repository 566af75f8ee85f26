using System.Buffers.Binary;
using System.Net.Sockets;

namespace ActorAuth.Testing;

/// <summary>A client that speaks raw bytes, to send what no honest client would.</summary>
public sealed class RawClient : IDisposable
{
    private readonly Socket _socket = new(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };

    private RawClient() { }

    /// <summary>Connects to the server on loopback, from <paramref name="from"/> (e.g. 127.0.0.2) when given.</summary>
    public static async Task<RawClient> ConnectAsync(int port, System.Net.IPAddress? from = null)
    {
        var client = new RawClient();
        if (from is not null)
        {
            client._socket.Bind(new System.Net.IPEndPoint(from, 0));
        }

        await client._socket.ConnectAsync("127.0.0.1", port);
        return client;
    }

    /// <summary>Sends bytes as they are.</summary>
    public Task SendAsync(byte[] bytes) => _socket.SendAsync(bytes.AsMemory()).AsTask();

    /// <summary>Sends one frame with a correct header.</summary>
    public Task SendFrameAsync(byte[] payload)
    {
        var frame = new byte[4 + payload.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)payload.Length);
        payload.CopyTo(frame, 4);
        return SendAsync(frame);
    }

    /// <summary>Reads one frame's payload; null if the server closed the connection first.</summary>
    public async Task<byte[]?> ReceiveFrameAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var header = new byte[4];
        if (!await ReceiveExactlyAsync(header, deadline.Token))
        {
            return null;
        }

        var payload = new byte[BinaryPrimitives.ReadUInt32LittleEndian(header)];
        return await ReceiveExactlyAsync(payload, deadline.Token) ? payload : null;
    }

    /// <summary>
    /// Reads exactly <paramref name="count"/> bytes, for a framing other than the length prefix (NegotiateStream's
    /// handshake header, gss-sample's tokens); null if the server closed the connection first.
    /// </summary>
    public async Task<byte[]?> ReceiveBytesAsync(int count, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var buffer = new byte[count];
        return await ReceiveExactlyAsync(buffer, deadline.Token) ? buffer : null;
    }

    private async Task<bool> ReceiveExactlyAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n;
            try
            {
                n = await _socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, cancellationToken);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                return false;
            }

            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }

    /// <summary>
    /// Reads until the server closes the connection (bounded by <paramref name="timeout"/>) and returns what
    /// came; throws <see cref="TimeoutException"/> if it stays open.
    /// </summary>
    public async Task<byte[]> ReadUntilClosedAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                int n = await _socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
                if (n == 0)
                {
                    return received.ToArray();
                }

                received.Write(buffer, 0, n);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the server kept the connection open for {timeout}; received {received.Length} bytes");
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return received.ToArray();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _socket.Dispose();
}
