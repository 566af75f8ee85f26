using System.Diagnostics;
using System.Text;
using ActorAuth.Testing;

namespace ActorAuth.Directory.Tests;

/// <summary>
/// Kerberos constrained delegation (S4U2Proxy) against a real Samba AD: alice authenticates to S1 without forwarding a
/// TGT, and S1 (actorauth.server.delegation.constrained-account = svc-s1) reaches S2 as alice with her service ticket
/// as evidence, because svc-s1's msDS-AllowedToDelegateTo lists S2's SPN. Both servers are actorauth processes, each
/// with its own keytab, krb5.conf and replay cache in its environment (MIT reads those from the C environment only).
/// </summary>
[Collection(SambaCollection.Name)]
public sealed class ConstrainedDelegationTests(SambaDomainController dc) : IAsyncLifetime
{
    private const string S1Spn = "actorauth/s1.samba.actorauth.test";
    private const string S2Spn = "actorauth/s2.samba.actorauth.test";
    private const string NotDelegableSpn = "actorauth/s3.samba.actorauth.test"; // svc-s2's too, but not in svc-s1's list

    private readonly string _work = System.IO.Directory.CreateTempSubdirectory("actorauth-s4u-").FullName;
    private readonly StringBuilder _s1Log = new();
    private readonly StringBuilder _s2Log = new();
    private readonly List<Process> _servers = [];

    private static string Alice => $"alice@{SambaDomainController.Realm}";

    public async Task InitializeAsync()
    {
        await dc.EnsureAccountAsync("alice", service: false);
        await dc.EnsureAccountAsync("svc-s1", service: true, S1Spn);
        await dc.EnsureAccountAsync("svc-s2", service: true, S2Spn, NotDelegableSpn);
        if (!(await dc.SambaToolAsync(check: true, "delegation", "show", "svc-s1")).Output.Contains(S2Spn, StringComparison.OrdinalIgnoreCase))
        {
            await dc.SambaToolAsync(check: true, "delegation", "add-service", "svc-s1", S2Spn);
        }

        // The account principal first, then the SPNs (what exportkeytab makes for a service in AD).
        foreach ((string keytab, string account, string[] spns) in (IEnumerable<(string, string, string[])>)[("s1", "svc-s1", [S1Spn]), ("s2", "svc-s2", [S2Spn, NotDelegableSpn])])
        {
            foreach (string principal in (string[])[account, .. spns])
            {
                await dc.SambaToolAsync(check: true, "domain", "exportkeytab", Path.Combine(_work, keytab + ".keytab"), $"--principal={principal}");
            }
        }

        // The DC's krb5.conf plus forwardable tickets (the evidence ticket must be forwardable; MIT's default is not)
        // and no host-name canonicalisation (s1/s2 are in no DNS).
        string krb5 = await File.ReadAllTextAsync(Path.Combine(dc.Directory, "krb5.conf"));
        await File.WriteAllTextAsync(Path.Combine(_work, "krb5.conf"),
            krb5.Replace("[libdefaults]", "[libdefaults]\n    forwardable = true\n    dns_canonicalize_hostname = false", StringComparison.Ordinal));
        await File.WriteAllTextAsync(Path.Combine(_work, "alice.password"), (await File.ReadAllTextAsync(Path.Combine(dc.Directory, "alice.password"))).Trim());
    }

    [Fact]
    public async Task A_client_that_delegates_nothing_reaches_the_second_service_as_itself_through_the_first_services_account()
    {
        int s2 = await StartServerAsync("s2", S2Spn, delegation: null);
        int s1 = await StartServerAsync("s1", S1Spn, delegation: $$"""{ targets = ["127.0.0.1:{{s2}}"], constrained-account = "svc-s1@{{SambaDomainController.Realm}}" }""");

        (int exit, string stdout, string stderr) = await ClientAsync(s1, $"127.0.0.1:{s2} {S2Spn}");

        Assert.True(exit == 0, Report(exit, stdout, stderr));
        Assert.Contains($"reply: {Alice}", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("svc-s1", stdout, StringComparison.OrdinalIgnoreCase);
        // S4U2Proxy, not a forwarded TGT: MIT marked S1's credential for alice as a proxy of svc-s1.
        Assert.Contains("proxy_impersonator", await File.ReadAllTextAsync(Path.Combine(_work, "s1.trace")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_target_spn_missing_from_the_accounts_allowed_to_delegate_to_list_is_refused_with_the_kdcs_reason()
    {
        int s2 = await StartServerAsync("s2", S2Spn, delegation: null);
        int s1 = await StartServerAsync("s1", S1Spn, delegation: $$"""{ targets = ["127.0.0.1:{{s2}}"], constrained-account = "svc-s1@{{SambaDomainController.Realm}}" }""");

        (int exit, string stdout, string stderr) = await ClientAsync(s1, $"127.0.0.1:{s2} {NotDelegableSpn}");

        Assert.True(exit == 1, Report(exit, stdout, stderr));
        Assert.Contains("OperationFailed", stderr, StringComparison.Ordinal);
        Assert.Contains("KDC can't fulfill requested option", stderr, StringComparison.Ordinal); // KDC_ERR_BADOPTION
        Assert.DoesNotContain("reply:", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_whose_constrained_delegation_account_has_no_keys_in_its_keytab_refuses_to_start_saying_why()
    {
        string config = Path.Combine(_work, "wrong.conf");
        await File.WriteAllTextAsync(config, $$"""
            actorauth.server {
              port = {{LoopbackPort.Free()}}
              delegation { targets = ["127.0.0.1:1"], constrained-account = "svc-s2@{{SambaDomainController.Realm}}" }
            }
            """);

        (int exit, string stdout, string stderr) = await ChildProcess.RunAsync("dotnet", Environment("s1"), ChildProcess.Cli, "server", "--config", config);

        Assert.True(exit == 2, $"exit {exit}\n{stdout}\n{stderr}");
        Assert.Contains($"credential for constrained delegation as svc-s2@{SambaDomainController.Realm} cannot be acquired", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("SPNEGO cannot find mechanisms", stderr, StringComparison.Ordinal); // krb5's own reason instead
    }

    /// <summary>Starts <c>actorauth server</c> as <paramref name="name"/> (its keytab, its replay cache) and returns its port once it listens.</summary>
    private async Task<int> StartServerAsync(string name, string spn, string? delegation)
    {
        int port = LoopbackPort.Free();
        string config = Path.Combine(_work, name + ".conf");
        await File.WriteAllTextAsync(config, $$"""
            actorauth.server {
              port = {{port}}
              service-principal = "{{spn}}"
              {{(delegation is null ? string.Empty : "delegation = " + delegation)}}
            }
            """);
        StringBuilder log = name == "s1" ? _s1Log : _s2Log;
        Process server = ChildProcess.Start(ChildProcess.Describe("dotnet", Environment(name), ChildProcess.Cli, "server", "--config", config), log, "ActorAuth listening", out Task ready);
        _servers.Add(server);
        await Task.WhenAny(ready, server.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(45)));
        Assert.True(ready.IsCompletedSuccessfully, $"{name} did not start:\n{log}\n--- its KRB5_TRACE (tail):\n{Tail(Path.Combine(_work, name + ".trace"))}");
        return port;
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> ClientAsync(int port, string message) =>
        ChildProcess.RunAsync("dotnet", Environment("client"), ChildProcess.Cli, "client", "--port", $"{port}", "--spn", S1Spn,
            "--user", Alice, "--password-file", Path.Combine(_work, "alice.password"), "--impersonation", "impersonate",
            "--operation", "forward-whoami", "--message", message);

    /// <summary>
    /// One process's MIT environment. Every ticket cache is private and empty: a default cache holding someone else's
    /// TGT could stand in for the delegated credential and hide a failure.
    /// </summary>
    private Dictionary<string, string> Environment(string name) => new()
    {
        ["KRB5_CONFIG"] = Path.Combine(_work, "krb5.conf"),
        ["KRB5_KTNAME"] = "FILE:" + Path.Combine(_work, name + ".keytab"),
        ["KRB5RCACHENAME"] = "file2:" + Path.Combine(_work, name + ".rcache"),
        ["KRB5CCNAME"] = "FILE:" + Path.Combine(_work, name + ".ccache"),
        ["KRB5_TRACE"] = Path.Combine(_work, name + ".trace"),
    };

    private string Report(int exit, string stdout, string stderr) =>
        $"client exit {exit}\n{stdout}\n{stderr}\n--- S1:\n{_s1Log}\n--- S2:\n{_s2Log}\n--- S1 KRB5_TRACE (tail):\n{Tail(Path.Combine(_work, "s1.trace"))}";

    private static string Tail(string path) => File.Exists(path) ? string.Join('\n', File.ReadLines(path).TakeLast(40)) : "(none)";

    public async Task DisposeAsync()
    {
        foreach (Process server in _servers)
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            server.Dispose();
        }

        System.IO.Directory.Delete(_work, recursive: true);
    }
}
