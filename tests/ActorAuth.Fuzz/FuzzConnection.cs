using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace ActorAuth.Fuzz;

/// <summary>
/// A raw loopback connection that sends what no honest client would (after the integration tests'
/// RawClient). It binds to 127.0.0.2–127.0.0.241 so hostile traffic does not share a source address
/// with the honest client on 127.0.0.1 (per-address limits stay out of the honest client's way).
/// </summary>
internal sealed class FuzzConnection : IDisposable
{
    private readonly Socket _socket = new(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };

    private FuzzConnection() { }

    /// <summary>Connects from 127.0.0.(2 + <paramref name="source"/> % 240).</summary>
    public static async Task<FuzzConnection> ConnectAsync(int port, int source)
    {
        var connection = new FuzzConnection();
        try
        {
            connection._socket.Bind(new IPEndPoint(new IPAddress([127, 0, 0, (byte)(2 + (source % 240))]), 0));
            await connection._socket.ConnectAsync(IPAddress.Loopback, port);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Sends bytes as they are; false if the server had already closed.</summary>
    public async Task<bool> SendAsync(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            await _socket.SendAsync(bytes);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Sends one correctly framed payload.</summary>
    public Task<bool> SendFrameAsync(byte[] payload)
    {
        var frame = new byte[4 + payload.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)payload.Length);
        payload.CopyTo(frame, 4);
        return SendAsync(frame);
    }

    /// <summary>Half-closes: the server reads end of stream.</summary>
    public void ShutdownSend()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
        }
    }

    /// <summary>Reads one frame's payload (at most 1 MiB); null if the server closed first or the time ran out.</summary>
    public async Task<byte[]?> ReceiveFrameAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var header = new byte[4];
        if (!await ReceiveExactlyAsync(header, deadline.Token))
        {
            return null;
        }

        uint length = BinaryPrimitives.ReadUInt32LittleEndian(header);
        if (length > 1024 * 1024)
        {
            return null;
        }

        var payload = new byte[length];
        return await ReceiveExactlyAsync(payload, deadline.Token) ? payload : null;
    }

    /// <summary>
    /// Reads until the server closes (returns the bytes received) or <paramref name="timeout"/> passes
    /// (returns null: the server kept the connection open).
    /// </summary>
    public async Task<long?> ReadUntilClosedAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var buffer = new byte[8192];
        long received = 0;
        try
        {
            while (true)
            {
                int n = await _socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
                if (n == 0)
                {
                    return received;
                }

                received += n;
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (SocketException)
        {
            return received;
        }
    }

    private async Task<bool> ReceiveExactlyAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        int read = 0;
        try
        {
            while (read < buffer.Length)
            {
                int n = await _socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, cancellationToken);
                if (n == 0)
                {
                    return false;
                }

                read += n;
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }

        return true;
    }

    /// <inheritdoc />
    public void Dispose() => _socket.Dispose();
}
