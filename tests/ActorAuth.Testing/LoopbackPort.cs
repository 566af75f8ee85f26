using System.Net;
using System.Net.Sockets;

namespace ActorAuth.Testing;

/// <summary>Ports for servers started as child processes, which cannot report a port the OS chose.</summary>
public static class LoopbackPort
{
    /// <summary>A loopback port free a moment ago (bound, then released).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
