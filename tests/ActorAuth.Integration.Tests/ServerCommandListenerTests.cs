using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Principal;
using System.Text;
using Xunit;

namespace ActorAuth.Integration.Tests;

/// <summary><c>actorauth server --nns-port N --gss-sample-port N</c>: the quick start of the dialect listeners, beside the default one.</summary>
[Collection(RealmCollection.Name)]
public sealed class ServerCommandListenerTests(RealmFixture realm)
{
    [Fact]
    public async Task The_dialect_ports_add_listeners_that_gss_client_and_NegotiateStream_clients_authenticate_to()
    {
        (int sockauth, int nns, int gss) = (LoopbackPort.Free(), LoopbackPort.Free(), LoopbackPort.Free());
        var log = new StringBuilder();
        using Process server = ChildProcess.Start(
            ChildProcess.Describe("dotnet", realm.Realm.Environment, ChildProcess.Cli, "server", "--port", $"{sockauth}", "--nns-port", $"{nns}", "--gss-sample-port", $"{gss}"),
            log, "(gss-sample, gss-sample)", out Task listening);
        try
        {
            await listening.WaitAsync(TimeSpan.FromSeconds(30));

            (int exitCode, string stdout, string stderr) = await ChildProcess.RunAsync("gss-client", realm.Realm.Environment,
                "-port", $"{gss}", "-user", realm.Realm.PrincipalOf("alice"), "-pass", realm.Realm.PasswordOf("alice"), "localhost", "actorauth@localhost", "hi");
            Assert.True(exitCode == 0, $"gss-client exited {exitCode}\n{stdout}\n{stderr}\n{log}");

            using var tcp = new TcpClient { NoDelay = true };
            await tcp.ConnectAsync(IPAddress.Loopback, nns);
            await using var stream = new NegotiateStream(tcp.GetStream());
            await stream.AuthenticateAsClientAsync(new NetworkCredential(realm.Realm.PrincipalOf("alice"), realm.Realm.PasswordOf("alice")),
                RealmFixture.ServicePrincipal, ProtectionLevel.EncryptAndSign, TokenImpersonationLevel.Identification).WaitAsync(TimeSpan.FromSeconds(15));
            Assert.True(stream.IsMutuallyAuthenticated, log.ToString());

            try
            {
                await using var channel = await ActorAuth.Client.ActorAuthClient.ConnectAsync("127.0.0.1", sockauth, RealmFixture.ServicePrincipal,
                    new ActorAuth.Client.ActorAuthClientOptions { Credential = new(realm.Realm.PrincipalOf("alice"), realm.Realm.PasswordOf("alice")) });
                Assert.Equal(realm.Realm.PrincipalOf("alice"), channel.ClientPrincipal);
            }
            catch (ActorAuth.Client.ActorAuthClientException e)
            {
                Assert.Fail($"{e.Message}\n{log}");
            }
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }
}
