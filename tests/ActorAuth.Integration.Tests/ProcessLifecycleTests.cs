using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ActorAuth.Client;
using Xunit;

namespace ActorAuth.Integration.Tests;

/// <summary>The <c>actorauth server</c> process under SIGTERM and SIGKILL, with clients at work.</summary>
[Collection(RealmCollection.Name)]
public sealed class ProcessLifecycleTests(RealmFixture realm)
{
    private (Process Server, StringBuilder Log, Task Listening) StartServer(int port)
    {
        var log = new StringBuilder();
        Process server = ChildProcess.Start(
            ChildProcess.Describe("dotnet", realm.Realm.Environment, ChildProcess.Cli, "server", "--port", port.ToString()), log, "listening on", out Task listening);
        return (server, log, listening);
    }

    private static void Signal(Process process, string signal) => Process.Start("kill", [signal, process.Id.ToString()])!.WaitForExit();

    private ActorAuthClientOptions Alice => new() { Credential = new(realm.Realm.PrincipalOf("alice"), realm.Realm.PasswordOf("alice")) };

    [Fact]
    public async Task Sigterm_under_load_stops_accepting_closes_cleanly_and_exits_zero()
    {
        int port = LoopbackPort.Free();
        (Process server, StringBuilder log, Task listening) = StartServer(port);
        using (server)
        {
            await listening.WaitAsync(TimeSpan.FromSeconds(30));
            var failures = new ConcurrentBag<ActorAuthClientException>();
            int succeeded = 0;
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(6));
            Task[] clients = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
            {
                for (int i = 0; i < 200 && !stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        await using AuthenticatedChannel channel = await ActorAuthClient.ConnectAsync("127.0.0.1", port, RealmFixture.ServicePrincipal, Alice);
                        await channel.RequestAsync(new byte[1024]);
                        Interlocked.Increment(ref succeeded);
                    }
                    catch (ActorAuthClientException e)
                    {
                        failures.Add(e);
                    }
                }
            })).ToArray();

            // Under load means sessions are being served: wait (bounded) for the first to succeed, not a fixed time,
            // which a loaded machine's slow first handshakes can outlast.
            Assert.True(await TestServer.EventuallyAsync(() => Volatile.Read(ref succeeded) > 0, TimeSpan.FromSeconds(20)), $"no client succeeded\n{log}");
            await Task.Delay(300);
            Signal(server, "-TERM");
            await server.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
            await stop.CancelAsync();
            await Task.WhenAll(clients);

            Assert.True(server.ExitCode == 0, $"exit {server.ExitCode}\n{log}");
            Assert.True(succeeded > 0, $"no client succeeded before SIGTERM\n{log}");
            // Clean endings only: refused or closed between frames, never a frame cut in half or a message that fails to verify.
            ClientFailure[] clean = [ClientFailure.ConnectFailed, ClientFailure.ConnectionLost, ClientFailure.ServerRefused];
            Assert.All(failures, e => Assert.True(clean.Contains(e.Failure) && !e.Message.Contains("into a frame", StringComparison.Ordinal), $"{e.Failure}: {e.Message}"));
            Assert.Contains("0 contexts live", log.ToString(), StringComparison.Ordinal);
            await Assert.ThrowsAsync<ActorAuthClientException>(() => ActorAuthClient.ConnectAsync("127.0.0.1", port, RealmFixture.ServicePrincipal, Alice));
        }
    }

    [Fact]
    public async Task After_a_kill_and_a_restart_clients_reconnect_and_authenticate()
    {
        int port = LoopbackPort.Free();
        (Process first, StringBuilder firstLog, Task firstListening) = StartServer(port);
        AuthenticatedChannel before;
        using (first)
        {
            await firstListening.WaitAsync(TimeSpan.FromSeconds(30));
            before = await ActorAuthClient.ConnectAsync("127.0.0.1", port, RealmFixture.ServicePrincipal, Alice);
            first.Kill();
            await first.WaitForExitAsync();
        }

        await using (before)
        {
            var e = await Assert.ThrowsAsync<ActorAuthClientException>(() => before.RequestAsync("anyone there?"u8.ToArray()));
            Assert.Equal(ClientFailure.ConnectionLost, e.Failure);
        }

        (Process second, StringBuilder secondLog, Task secondListening) = StartServer(port);
        using (second)
        {
            await secondListening.WaitAsync(TimeSpan.FromSeconds(30));
            await using (AuthenticatedChannel after = await ActorAuthClient.ConnectAsync("127.0.0.1", port, RealmFixture.ServicePrincipal, Alice))
            {
                Assert.Equal("back", Encoding.UTF8.GetString((await after.RequestAsync("back"u8.ToArray())).Span));
            }

            Signal(second, "-TERM");
            await second.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
            Assert.True(second.ExitCode == 0, secondLog.ToString());
        }
    }
}
