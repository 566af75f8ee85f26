using System.Net;

namespace ActorAuth.Security.Tests;

/// <summary>An in-process handshake: the client's and the server's Step looped until both complete or one fails.</summary>
internal sealed class Handshake : IDisposable
{
    private Handshake(ServerCredential credential, ClientSecurityContext client, ServerSecurityContext server)
    {
        Credential = credential;
        Client = client;
        Server = server;
    }

    public ServerCredential Credential { get; }

    public ClientSecurityContext Client { get; }

    public ServerSecurityContext Server { get; }

    public SecurityStatus ClientStatus { get; private set; }

    public SecurityStatus ServerStatus { get; private set; }

    /// <summary>Runs the handshake to its end; check the statuses.</summary>
    public static Handshake Run(
        SecurityProvider serverProvider, SecurityProvider clientProvider, string package,
        string target = RealmFixture.ServicePrincipal, NetworkCredential? credential = null,
        MessageProtection serverProtection = MessageProtection.Managed, MessageProtection clientProtection = MessageProtection.Managed)
    {
        ServerCredential serverCredential = ServerCredential.Acquire(new ServerCredentialOptions { Package = package, MessageProtection = serverProtection }, serverProvider);
        var client = new ClientSecurityContext(
            new ClientContextOptions { Package = package, TargetName = target, Credential = credential, MessageProtection = clientProtection }, clientProvider);
        var handshake = new Handshake(serverCredential, client, serverCredential.CreateContext());
        handshake.Loop();
        return handshake;
    }

    public void AssertCompleted()
    {
        Assert.Equal(SecurityStatusCode.Completed, ClientStatus.Code);
        Assert.Equal(SecurityStatusCode.Completed, ServerStatus.Code);
    }

    /// <summary>Steps <paramref name="client"/> and <paramref name="server"/> in turn until both complete or one fails.</summary>
    public static (SecurityStatus Client, SecurityStatus Server) Between(ClientSecurityContext client, ServerSecurityContext server)
    {
        SecurityStatus clientStatus = client.Initialize([], out byte[]? toServer);
        SecurityStatus serverStatus = default;
        for (int leg = 0; leg < 10 && !clientStatus.IsError && toServer is not null && !server.IsCompleted; leg++)
        {
            serverStatus = server.Accept(toServer, out byte[]? toClient);
            if (serverStatus.IsError || toClient is null || client.IsCompleted)
            {
                break;
            }

            clientStatus = client.Initialize(toClient, out toServer);
        }

        return (clientStatus, serverStatus);
    }

    private void Loop() => (ClientStatus, ServerStatus) = Between(Client, Server);

    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
        Credential.Dispose();
    }
}
