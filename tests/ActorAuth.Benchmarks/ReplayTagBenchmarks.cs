using ActorAuth.Security;
using ActorAuth.Security.Kerberos;
using BenchmarkDotNet.Attributes;

namespace ActorAuth.Benchmarks;

/// <summary>
/// What each node adds to every handshake for the cluster-wide replay cache: finding the AP-REQ in a real first
/// token (DER walk only) and the whole tag (the walk plus one SHA-256 over the authenticator ciphertext). Goal: a
/// few µs, nothing allocated. Needs the dev realm's KRB5_CONFIG and a KRB5CCNAME holding a TGT in the environment
/// before the process starts, to make the tokens (scripts/bench.sh exports them).
/// </summary>
[MemoryDiagnoser]
public class ReplayTagBenchmarks
{
    private byte[] _token = [];

    /// <summary>Negotiate (the AP-REQ inside a SPNEGO NegTokenInit) or Kerberos (a GSS krb5 token).</summary>
    [Params(SecurityPackages.Negotiate, SecurityPackages.Kerberos)]
    public string Package { get; set; } = SecurityPackages.Negotiate;

    [GlobalSetup]
    public void Setup()
    {
        using var client = new ClientSecurityContext(new ClientContextOptions { Package = Package, TargetName = "actorauth/localhost" }, SecurityProvider.GssApi);
        SecurityStatus status = client.Initialize([], out byte[]? token);
        _token = !status.IsError && token is { Length: > 0 } ? token : throw new InvalidOperationException($"no first {Package} token: {status}");
    }

    /// <summary>The DER walk alone.</summary>
    [Benchmark]
    public ApReqStatus FindApReq() => ApReqReader.TryRead(_token, out _);

    /// <summary>The replay tag: the walk and the hash.</summary>
    [Benchmark(Baseline = true)]
    public ReplayTag ComputeTag()
    {
        ReplayTag.TryCompute(_token, out ReplayTag tag);
        return tag;
    }
}
