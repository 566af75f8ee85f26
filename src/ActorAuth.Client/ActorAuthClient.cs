using System.Net.Sockets;
using ActorAuth.Protocol;
using ActorAuth.Security;

namespace ActorAuth.Client;

/// <summary>
/// Connects to an ActorAuth server (or a stock server of a dialect, <see cref="ActorAuthClientOptions.StockServer"/>)
/// and runs the seed's client loop (InitializeSecurityContext, send the output token, read the server's, until
/// the package reports complete) in the dialect's framing (<see cref="ClientDialect"/>) with mutual
/// authentication required: the returned channel is to a server that proved it holds the keys of the SPN asked for.
/// </summary>
public static partial class ActorAuthClient
{
    /// <summary>Connects to <paramref name="host"/>:<paramref name="port"/> and authenticates to <paramref name="spn"/>.</summary>
    /// <exception cref="ActorAuthClientException">Connecting or authenticating failed; <see cref="ActorAuthClientException.Failure"/> says why.</exception>
    public static async Task<AuthenticatedChannel> ConnectAsync(
        string host, int port, string spn, ActorAuthClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentException.ThrowIfNullOrWhiteSpace(spn);
        options ??= new ActorAuthClientOptions();

        // The credential is checked before any connection is made: a wrong password fails here, clearly.
        ClientSecurityContext context = ClientContexts.Create(
            options.SharedCredential, options.Credential, options.Package, options.Provider, spn, options.ProtectionLevel, options.ImpersonationLevel);
        FramedStream? stream = null;
        try
        {
            ClientDialect dialect = ClientDialect.For(options.Dialect, options.StockServer);
            byte[]? token = ClientDialect.Begin(context);
            stream = new FramedStream(await ConnectTcpAsync(host, port, options.LocalAddress, options.ConnectTimeout, cancellationToken).ConfigureAwait(false));
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(options.HandshakeTimeout);
            try
            {
                await dialect.HandshakeAsync(context, token, stream, options.MaxFrameLength, deadline.Token).ConfigureAwait(false);
                var channel = new AuthenticatedChannel(stream, context, options, dialect);
                if (dialect.IsActorAuthSession)
                {
                    try
                    {
                        await channel.ReceiveGreetingAsync(deadline.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && options.Dialect == WireDialect.NegotiateStream)
                    {
                        // Authenticated, but no greeting: what a NegotiateStream server that is not ActorAuth does.
                        throw new ActorAuthClientException(ClientFailure.Timeout,
                            $"The server authenticated mutually but sent no ActorAuth greeting within {options.HandshakeTimeout.TotalSeconds:0.#} s; " +
                            "if it is a plain NegotiateStream server rather than ActorAuth, connect with StockServer (--stock).");
                    }
                }

                stream = null;
                return channel;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ActorAuthClientException(ClientFailure.Timeout, $"The server did not complete the handshake within {options.HandshakeTimeout.TotalSeconds:0.#} s.");
            }
            catch (IOException e)
            {
                throw new ActorAuthClientException(ClientFailure.ConnectionLost, $"The connection was lost during the handshake: {e.Message}", e);
            }
        }
        catch
        {
            context.Dispose();
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    private static async Task<Stream> ConnectTcpAsync(string host, int port, System.Net.IPAddress? localAddress, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            if (localAddress is not null)
            {
                socket.Bind(new System.Net.IPEndPoint(localAddress, 0));
            }

            await socket.ConnectAsync(host, port, deadline.Token).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            string why = e is SocketException s ? s.Message : $"no answer within {timeout.TotalSeconds:0.#} s";
            throw new ActorAuthClientException(ClientFailure.ConnectFailed, $"Cannot connect to {host}:{port}: {why}.", e);
        }
    }
}
