using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Principal;

namespace ActorAuth.NegotiateStreamBaseline;

/// <summary>
/// What a .NET user writes by hand: a TcpListener, a task per connection, NegotiateStream with mutual
/// authentication and EncryptAndSign, one encrypted echo, close. TCP_NODELAY is set (without it each
/// connection stalls ~44 ms on Nagle + delayed ACK), so the comparison is with the best such server.
/// </summary>
internal static class BaselineServer
{
    public static async Task<int> RunAsync(IPAddress address, int port, CancellationToken cancellationToken)
    {
        var listener = new TcpListener(address, port);
        listener.Server.NoDelay = true;
        listener.Start(backlog: 4096);
        Console.WriteLine($"listening on {listener.LocalEndpoint}");
        long ok = 0, failed = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                TcpClient client = await listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
                _ = Task.Run(async () =>
                {
                    if (await ServeAsync(client).ConfigureAwait(false))
                    {
                        Interlocked.Increment(ref ok);
                    }
                    else
                    {
                        Interlocked.Increment(ref failed);
                    }
                }, CancellationToken.None);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            listener.Stop();
            await Console.Error.WriteLineAsync($"served {Interlocked.Read(ref ok)} ok, {Interlocked.Read(ref failed)} failed").ConfigureAwait(false);
        }

        return 0;
    }

    private static async Task<bool> ServeAsync(TcpClient client)
    {
        using (client)
        {
            client.NoDelay = true;
            try
            {
                await using var stream = new NegotiateStream(client.GetStream(), leaveInnerStreamOpen: false);
                await stream.AuthenticateAsServerAsync(CredentialCache.DefaultNetworkCredentials, null, ProtectionLevel.EncryptAndSign, TokenImpersonationLevel.Identification).ConfigureAwait(false);
                if (!stream.IsMutuallyAuthenticated || !stream.IsEncrypted)
                {
                    return false; // mutual authentication and encryption are required: close without serving
                }

                byte[] buffer = new byte[64 * 1024];
                int read = await stream.ReadAsync(buffer).ConfigureAwait(false);
                if (read == 0)
                {
                    return false;
                }

                await stream.WriteAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
                return true;
            }
            catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or SocketException or ObjectDisposedException)
            {
                return false;
            }
        }
    }
}
