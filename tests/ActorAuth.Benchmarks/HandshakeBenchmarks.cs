using ActorAuth.Security;
using BenchmarkDotNet.Attributes;

namespace ActorAuth.Benchmarks;

/// <summary>
/// One whole security-context handshake in one process, on one thread — client and server stepping in turn, as
/// FACTS.md's anchors were measured (NegotiateAuthentication about 5,700/s, raw MIT about 7,400/s): .NET's
/// NegotiateAuthentication on both sides (what a .NET user would call, credentials acquired per context)
/// against ActorAuth's GSSAPI provider with shared credentials (one acceptor credential over an in-memory
/// keytab, one <see cref="ClientCredential"/> over in-memory tickets). The client's first token alone is
/// measured too, so the server's share is the difference. Needs the dev realm's KRB5_CONFIG, KRB5_KTNAME and a
/// KRB5CCNAME holding a TGT in the environment before the process starts (scripts/bench.sh exports them).
/// </summary>
[MemoryDiagnoser]
public class HandshakeBenchmarks
{
    private const string Target = "actorauth/localhost";
    private ServerCredential? _gssApiServer;
    private ServerCredential? _negotiateAuthenticationServer;
    private ClientCredential? _client;

    /// <summary>Negotiate (SPNEGO, what clients send by default) or Kerberos.</summary>
    [Params(SecurityPackages.Negotiate, SecurityPackages.Kerberos)]
    public string Package { get; set; } = SecurityPackages.Negotiate;

    /// <summary>Only what the NegotiateAuthentication case uses: ActorAuth's credentials would keep MIT's parsed krb5.conf for it too.</summary>
    [GlobalSetup(Target = nameof(NegotiateAuthentication))]
    public void SetupNegotiateAuthentication() =>
        _negotiateAuthenticationServer = ServerCredential.Acquire(new ServerCredentialOptions { Package = RealmPackage() }, SecurityProvider.NegotiateAuthentication);

    [GlobalSetup(Targets = [nameof(GssApiSharedCredentials), nameof(GssApiClientFirstToken)])]
    public void SetupGssApi()
    {
        _gssApiServer = ServerCredential.Acquire(new ServerCredentialOptions { Package = RealmPackage() }, SecurityProvider.GssApi);
        _client = ClientCredential.Acquire(new ClientCredentialOptions { Package = Package }, SecurityProvider.GssApi);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client?.Dispose();
        _negotiateAuthenticationServer?.Dispose();
        _gssApiServer?.Dispose();
        (_client, _negotiateAuthenticationServer, _gssApiServer) = (null, null, null);
    }

    /// <summary>NegotiateAuthentication on both sides: each context acquires its credential.</summary>
    [Benchmark(Baseline = true)]
    public void NegotiateAuthentication()
    {
        using var client = new ClientSecurityContext(new ClientContextOptions { Package = Package, TargetName = Target }, SecurityProvider.NegotiateAuthentication);
        using ServerSecurityContext server = _negotiateAuthenticationServer!.CreateContext();
        Run(client, server);
    }

    /// <summary>ActorAuth's GSSAPI provider with credentials shared by every context.</summary>
    [Benchmark]
    public void GssApiSharedCredentials()
    {
        using ClientSecurityContext client = _client!.CreateContext(Target);
        using ServerSecurityContext server = _gssApiServer!.CreateContext();
        Run(client, server);
    }

    /// <summary>The client's side alone up to its first token (the AP-REQ), from the shared credential.</summary>
    [Benchmark]
    public byte[]? GssApiClientFirstToken()
    {
        using ClientSecurityContext client = _client!.CreateContext(Target);
        client.Initialize([], out byte[]? token);
        return token;
    }

    /// <summary>The package, after checking the realm is in the environment.</summary>
    private string RealmPackage() => Environment.GetEnvironmentVariable("KRB5_CONFIG") is null
        ? throw new InvalidOperationException("Export the dev realm first: eval \"$(actorauth realm up)\" and kinit alice (scripts/bench.sh does both).")
        : Package;

    private static void Run(ClientSecurityContext client, ServerSecurityContext server)
    {
        SecurityStatus status = client.Initialize([], out byte[]? toServer);
        while (!status.IsError && toServer is not null && !server.IsCompleted)
        {
            SecurityStatus accepted = server.Accept(toServer, out byte[]? toClient);
            if (accepted.IsError)
            {
                throw new InvalidOperationException($"The server refused the handshake: {accepted}.");
            }

            if (toClient is null || client.IsCompleted)
            {
                break;
            }

            status = client.Initialize(toClient, out toServer);
        }

        if (status.IsError || !server.IsCompleted)
        {
            throw new InvalidOperationException($"The handshake did not complete: client {status}, server completed {server.IsCompleted}.");
        }
    }
}
