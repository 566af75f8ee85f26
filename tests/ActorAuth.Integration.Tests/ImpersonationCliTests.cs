using System.Diagnostics;
using System.Text;
using Xunit;

namespace ActorAuth.Integration.Tests;

/// <summary>The commands: a server that cannot impersonate refuses read-file at start-up; the client grants levels.</summary>
[Collection(RealmCollection.Name)]
public sealed class ImpersonationCliTests(RealmFixture realm)
{
    [Fact]
    public async Task A_server_without_CAP_SETUID_and_CAP_SETGID_refuses_to_start_with_read_file_saying_why()
    {
        string root = System.IO.Directory.CreateTempSubdirectory("actorauth-nocaps-").FullName;
        try
        {
            // Still root, but with the two capabilities gone from the bounding set: exec leaves them out of the effective set.
            (int exitCode, string stdout, string stderr) = await ChildProcess.RunAsync("setpriv", realm.Realm.Environment,
                "--bounding-set", "-setuid,-setgid", "dotnet", ChildProcess.Cli, "server", "--port", $"{LoopbackPort.Free()}", "--read-file-root", root);

            Assert.True(exitCode == 2, $"exit {exitCode}\n{stdout}\n{stderr}");
            Assert.Contains("read-file must run as its clients, but the server process lacks CAP_SETUID and CAP_SETGID", stderr, StringComparison.Ordinal);
        }
        finally
        {
            System.IO.Directory.Delete(root);
        }
    }

    [Fact]
    public async Task The_client_command_delegates_and_forward_whoami_prints_what_the_second_server_saw()
    {
        (int p1, int p2) = (LoopbackPort.Free(), LoopbackPort.Free());
        var log = new StringBuilder();
        using Process s2 = ChildProcess.Start(ChildProcess.Describe("dotnet", realm.Realm.Environment, ChildProcess.Cli, "server", "--port", $"{p2}"), log, "ActorAuth listening", out Task s2Up);
        using Process s1 = ChildProcess.Start(
            ChildProcess.Describe("dotnet", realm.Realm.Environment, ChildProcess.Cli, "server", "--port", $"{p1}", "--delegation-target", $"127.0.0.1:{p2}"),
            log, "ActorAuth listening", out Task s1Up);
        string password = Path.GetTempFileName();
        try
        {
            await Task.WhenAll(s1Up, s2Up).WaitAsync(TimeSpan.FromSeconds(30));
            await File.WriteAllTextAsync(password, realm.Realm.PasswordOf("alice"));

            (int exitCode, string stdout, string stderr) = await ChildProcess.RunAsync("dotnet", realm.Realm.Environment, ChildProcess.Cli, "client",
                "--port", $"{p1}", "--user", "alice", "--password-file", password, "--impersonation", "delegate",
                "--operation", "forward-whoami", "--message", $"127.0.0.1:{p2} {RealmFixture.ServicePrincipal}");

            Assert.True(exitCode == 0, $"exit {exitCode}\n{stdout}\n{stderr}\n{log}");
            Assert.Contains("impersonation: Delegation", stdout, StringComparison.Ordinal);
            Assert.Contains("reply: alice@ACTORAUTH.TEST", stdout, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(password);
            foreach (Process server in (Process[])[s1, s2])
            {
                server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync();
            }
        }
    }
}
