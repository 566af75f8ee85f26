using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Principal;
using System.Text;
using ActorAuth.Protocol;

namespace ActorAuth.Integration.Tests;

/// <summary>What a .NET user writes: a TcpListener and NegotiateStream with mutual authentication and encryption, echoing each message.</summary>
internal sealed class StockNegotiateStreamServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentBag<Task> _connections = [];
    private readonly Task _accepting;

    private StockNegotiateStreamServer()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The client principals the server authenticated with mutual authentication and encryption.</summary>
    public ConcurrentQueue<string> AuthenticatedClients { get; } = new();

    public static StockNegotiateStreamServer Start() => new();

    private async Task AcceptAsync()
    {
        while (true)
        {
            try
            {
                _connections.Add(ServeAsync(await _listener.AcceptTcpClientAsync()));
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return; // stopped
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                await using var stream = new NegotiateStream(client.GetStream());
                await stream.AuthenticateAsServerAsync(CredentialCache.DefaultNetworkCredentials, null, ProtectionLevel.EncryptAndSign, TokenImpersonationLevel.Identification);
                if (!stream.IsMutuallyAuthenticated || !stream.IsEncrypted)
                {
                    return;
                }

                AuthenticatedClients.Enqueue(stream.RemoteIdentity.Name ?? string.Empty);
                byte[] buffer = new byte[NegotiateStreamCodec.MaxReadFrameSize];
                int read;
                while ((read = await stream.ReadAsync(buffer)) > 0)
                {
                    await stream.WriteAsync(buffer.AsMemory(0, read));
                }
            }
            catch (Exception e) when (e is IOException or AuthenticationException)
            {
                // A refused or vanished client; what the client saw is what the tests check.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _accepting;
        await Task.WhenAll(_connections);
    }
}

/// <summary>MIT's gss-server (Debian's krb5-gss-samples) as a child process with the realm's keytab, serving actorauth@localhost.</summary>
internal sealed class GssServer(Process process, StringBuilder output, int port) : IAsyncDisposable
{
    public int Port => port;

    /// <summary>Its standard output and error so far.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public static async Task<GssServer> StartAsync(RealmFixture realm)
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var output = new StringBuilder();
        ProcessStartInfo start = ChildProcess.Describe("gss-server", realm.Realm.Environment, "-port", port.ToString(), "actorauth@localhost");
        Process process;
        try
        {
            process = ChildProcess.Start(start, output, "starting...", out Task ready);
            await ready.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException("MIT's gss-server is not installed: apt-get install -y krb5-gss-samples", e);
        }

        return new GssServer(process, output, port);
    }

    public Task<bool> ShowsAsync(string text) => TestServer.EventuallyAsync(() => Output.Contains(text, StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        process.Kill();
        await process.WaitForExitAsync();
        process.Dispose();
    }
}
