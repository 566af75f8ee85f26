using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ActorAuth.Directory.Tests;

/// <summary>
/// Issue 4's whole flow against a real Active Directory (Samba AD), with the real <c>actorauth</c> server and client
/// as their own processes: the server starts as the service account, registers its SPNs, publishes its SCP; a client
/// that knows only the service class and GUID finds it through the SCP and mutually authenticates.
/// </summary>
[Collection(SambaCollection.Name)]
public sealed class ActiveDirectoryEndToEndTests(SambaDomainController dc) : IDisposable
{
    private readonly string _work = System.IO.Directory.CreateTempSubdirectory("actorauth-ad-e2e-").FullName;
    private readonly string _serviceClass = "aa" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _serviceGuid = Guid.NewGuid().ToString("D");

    private string ServerConfig(string account, int port, string extra = "")
    {
        string path = Path.Combine(_work, $"server-{account}.conf");
        File.WriteAllText(path, $$"""
            actorauth {
              {{extra}}
              server.port = {{port}}
              kerberos { config = "{{dc.Directory}}/krb5.conf", keytab = "FILE:{{dc.Directory}}/service.keytab" }
              directory {
                backend = ldap
                service-class = {{_serviceClass}}
                host = localhost
                account = {{account}}
                service-guid = "{{_serviceGuid}}"
                deadline = 10s
                ldap {
                  server = 127.0.0.1, port = 389, base-dn = "{{SambaDomainController.BaseDn}}", bind = simple
                  user = "{{account}}@{{SambaDomainController.Realm}}", password-file = "{{dc.Directory}}/{{account}}.password"
                  scp-container = "CN=Computers,{{SambaDomainController.BaseDn}}"
                }
              }
            }
            """);
        return path;
    }

    private static ProcessStartInfo Cli(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "actorauth.dll"));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Each process gets its Kerberos paths from its own configuration, not from this test process.
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("KRB5", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        return start;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(ProcessStartInfo start)
    {
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>A running server process and everything it logged, once it listens (or its output if it exited).</summary>
    private static async Task<(Process Server, StringBuilder Log)> StartServerAsync(string config)
    {
        Process server = Process.Start(Cli("server", "--config", config))!;
        var log = new StringBuilder();
        var listening = new TaskCompletionSource();
        void Collect(string? line)
        {
            lock (log)
            {
                log.AppendLine(line);
            }

            if (line?.Contains("listening on", StringComparison.Ordinal) == true)
            {
                listening.TrySetResult();
            }
        }

        server.OutputDataReceived += (_, e) => Collect(e.Data);
        server.ErrorDataReceived += (_, e) => Collect(e.Data);
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        await Task.WhenAny(listening.Task, server.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(45)));
        return (server, log);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>SIGTERM, the way an init system stops the server; returns its exit code.</summary>
    private static async Task<int> TerminateAsync(Process server)
    {
        Process.Start("kill", ["-TERM", server.Id.ToString()])!.WaitForExit();
        await server.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        return server.ExitCode;
    }

    [Fact]
    public async Task A_client_finds_the_service_through_its_scp_alone_and_mutually_authenticates()
    {
        (Process server, StringBuilder log) = await StartServerAsync(ServerConfig("svc-actorauth", FreePort()));
        using (server)
        {
            Assert.False(server.HasExited, log.ToString());
            string clientConfig = Path.Combine(_work, "client.conf");
            File.WriteAllText(clientConfig, $"actorauth.kerberos.config = \"{dc.Directory}/krb5.conf\"");

            (int exit, string output) = await RunAsync(Cli("client", "--discover", "--service-class", _serviceClass, "--keywords", _serviceGuid,
                "--backend", "ldap", "--ldap-server", "127.0.0.1", "--base-dn", SambaDomainController.BaseDn,
                "--bind-user", $"svc-other@{SambaDomainController.Realm}", "--bind-password-file", Path.Combine(dc.Directory, "svc-other.password"),
                "--user", $"svc-other@{SambaDomainController.Realm}", "--password-file", Path.Combine(dc.Directory, "svc-other.password"),
                "--config", clientConfig, "--message", "hello, directory"));

            Assert.True(exit == 0, $"client exit {exit}\n{output}\nserver:\n{log}");
            Assert.Contains($"spn {_serviceClass}/localhost:", output, StringComparison.Ordinal);
            Assert.Contains("mutual authentication: yes", output, StringComparison.Ordinal);
            Assert.Contains($"client principal: svc-other@{SambaDomainController.Realm}", output, StringComparison.Ordinal);
            Assert.Contains("reply: hello, directory", output, StringComparison.Ordinal);
            Assert.Contains("SPNs [" + _serviceClass + "/localhost", log.ToString(), StringComparison.Ordinal);
            Assert.Contains("CN=Computers", log.ToString(), StringComparison.Ordinal);

            int serverExit = await TerminateAsync(server);
            Assert.True(serverExit == 0, $"server exit {serverExit}\n{log}");
        }
    }

    [Fact]
    public async Task A_second_service_claiming_the_first_services_spns_refuses_to_start_with_a_clear_message()
    {
        (Process first, StringBuilder firstLog) = await StartServerAsync(ServerConfig("svc-actorauth", FreePort()));
        using (first)
        {
            Assert.False(first.HasExited, firstLog.ToString());

            (int exit, string output) = await RunAsync(Cli("server", "--config", ServerConfig("svc-other", FreePort())));

            Assert.Equal(2, exit);
            string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            string refusal = Assert.Single(lines, l => l.StartsWith("actorauth server:", StringComparison.Ordinal));
            Assert.Contains($"{_serviceClass}/localhost is already registered on CN=svc-actorauth", refusal, StringComparison.Ordinal);
            Assert.Equal(0, await TerminateAsync(first));
        }
    }

    [Fact]
    public async Task With_an_http_listener_the_service_registers_HTTP_host_and_curl_authenticates_to_it_through_the_directory()
    {
        int httpPort = FreePort();
        string listeners = $"listeners = [ {{ kind = sockauth }}, {{ kind = http, port = {httpPort} }} ]";
        (Process server, StringBuilder log) = await StartServerAsync(ServerConfig("svc-actorauth", FreePort(), listeners));
        using (server)
        {
            Assert.False(server.HasExited, log.ToString());
            Assert.Contains("HTTP/localhost", log.ToString(), StringComparison.Ordinal);
            var environment = new Dictionary<string, string>
            {
                ["KRB5_CONFIG"] = Path.Combine(dc.Directory, "krb5.conf"),
                ["KRB5CCNAME"] = "FILE:" + Path.Combine(_work, "svc-other.ccache"),
            };
            (int kinit, _, string kinitError) = await RunWithPasswordAsync("kinit", environment, File.ReadAllText(Path.Combine(dc.Directory, "svc-other.password")).Trim(),
                $"svc-other@{SambaDomainController.Realm}");
            Assert.True(kinit == 0, kinitError);

            (int exit, string body, string error) = await ActorAuth.Testing.ChildProcess.RunAsync("curl", environment,
                "--silent", "--show-error", "--fail", "--negotiate", "--user", ":", $"http://localhost:{httpPort}/whoami");

            Assert.True(exit == 0, $"curl exit {exit}: {error}\nserver:\n{log}");
            Assert.Contains($"\"principal\":\"svc-other@{SambaDomainController.Realm}\"", body, StringComparison.Ordinal);
            Assert.Equal(0, await TerminateAsync(server));
        }
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunWithPasswordAsync(string file, Dictionary<string, string> environment, string password, params string[] arguments)
    {
        ProcessStartInfo start = ActorAuth.Testing.ChildProcess.Describe(file, environment, arguments);
        start.RedirectStandardInput = true;
        using Process process = Process.Start(start)!;
        await process.StandardInput.WriteLineAsync(password);
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(), stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    public void Dispose() => System.IO.Directory.Delete(_work, recursive: true);
}
