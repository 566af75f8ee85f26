using System.Diagnostics;
using System.Net;
using System.Net.Security;
using ActorAuth.Security;
using ActorAuth.Security.Kerberos;
using Xunit;
using Xunit.Abstractions;

namespace ActorAuth.Fuzz;

/// <summary>
/// The AP-REQ reader and replay tag (what every node runs on every client token before the security package)
/// on hostile bytes made from real tokens of the dev realm: first tokens of both packages from ActorAuth's client
/// and .NET's NegotiateAuthentication, the bare AP-REQ, and the server's replies. Whatever the bytes: no exception,
/// no allocation, a bounded time, and a tag only for an authenticator that lies inside the input.
/// </summary>
[Collection(RealmCollection.Name)]
public sealed class ApReqFuzzTests(RealmFixture realm, ITestOutputHelper output)
{
    private const int SuiteCases = 3000;

    // One read of a real token takes a few µs. A call may be preempted (or meet the JIT) on this shared 2-core
    // machine, so one call is held to a hang's bound and the median to a tight one (what super-linear work breaks).
    private static readonly TimeSpan MaxPerCall = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxMedian = TimeSpan.FromMicroseconds(100);

    [Fact]
    public void Mutated_real_tokens_never_throw_allocate_or_stall_the_AP_REQ_reader()
    {
        byte[][] corpus = Corpus();
        FuzzSettings settings = FuzzSettings.Current;
        DateTime deadline = settings.DeadlineFor(0.05);
        int cases = 0, found = 0;
        var times = new List<TimeSpan>();
        for (; cases < SuiteCases || (DateTime.UtcNow < deadline && cases < 10_000_000); cases++)
        {
            var ops = new List<string>();
            List<byte[]> tokens = Mutator.MutateFrames(Mutator.For(settings.Seed, cases, stream: 11), corpus, corpus, ops);
            foreach (byte[] token in tokens)
            {
                (ApReqStatus status, TimeSpan elapsed) = Holds(token, () => $"case {cases} (FUZZ_SEED={settings.Seed}; {string.Join(", ", ops)})");
                found += status == ApReqStatus.Found ? 1 : 0;
                times.Add(elapsed);
            }
        }

        times.Sort();
        TimeSpan median = times[times.Count / 2];
        output.WriteLine($"FUZZ_SEED={settings.Seed}: {cases} cases, {times.Count} tokens, {found} still read as an AP-REQ; " +
            $"median {median.TotalMicroseconds:F1} µs, 99th percentile {times[times.Count * 99 / 100].TotalMicroseconds:F1} µs, slowest {times[^1].TotalMicroseconds:F0} µs");
        Assert.True(median < MaxMedian, $"median {median.TotalMicroseconds:F1} µs per token over {times.Count} tokens");
    }

    [Fact]
    public void The_AP_REQ_reader_never_throws_or_allocates_on_cut_edited_or_lying_real_tokens() =>
        Properties.Run(output, nameof(The_AP_REQ_reader_never_throws_or_allocates_on_cut_edited_or_lying_real_tokens),
            Inputs.Tokens(Corpus()), blob => Holds(blob.Bytes, () => "FsCheck input"), tests: 1000);

    /// <summary>The property: no exception, no allocation, no hang, and a Found tag is its cipher's, cut from the input.</summary>
    private static (ApReqStatus Status, TimeSpan Elapsed) Holds(byte[] token, Func<string> what)
    {
        ApReqStatus status;
        ReplayTag tag;
        long allocated;
        long started = Stopwatch.GetTimestamp();
        try
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            status = ReplayTag.TryCompute(token, out tag);
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"{what()} threw {e.GetType().Name}: {e.Message}{Environment.NewLine}hex={Hex.Of(token)}");
        }

        TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
        Assert.True(allocated == 0, $"{what()}: {allocated} bytes allocated ({status}); hex={Hex.Of(token)}");
        Assert.True(elapsed < MaxPerCall, $"{what()}: {elapsed.TotalMilliseconds:F1} ms ({status}); hex={Hex.Of(token)}");
        if (status == ApReqStatus.Found)
        {
            Assert.Equal(ApReqStatus.Found, ApReqReader.TryRead(token, out ApReq apReq));
            Assert.True(token.AsSpan().Overlaps(apReq.AuthenticatorCipher), $"{what()}: the cipher is not a slice of the token");
            Assert.Equal(ReplayTag.Of(apReq.AuthenticatorCipher), tag);
        }

        return (status, elapsed);
    }

    /// <summary>Real tokens: first tokens of both packages from both clients, a bare AP-REQ, and the server's replies.</summary>
    private byte[][] Corpus()
    {
        var alice = new NetworkCredential("alice", realm.Realm.PasswordOf("alice"), realm.Realm.RealmName);
        var corpus = new List<byte[]>();
        foreach (string package in new[] { SecurityPackages.Kerberos, SecurityPackages.Negotiate })
        {
            using ServerCredential credential = ServerCredential.Acquire(new ServerCredentialOptions { Package = package });
            using var client = new ClientSecurityContext(new ClientContextOptions { Package = package, TargetName = RealmFixture.ServicePrincipal, Credential = alice });
            using ServerSecurityContext server = credential.CreateContext();
            SecurityStatus initialized = client.Initialize([], out byte[]? first);
            SecurityStatus accepted = server.Accept(first, out byte[]? reply);
            Assert.True(!initialized.IsError && !accepted.IsError && first is not null && reply is not null, $"{package}: {initialized} / {accepted}");
            corpus.Add(first);
            corpus.Add(reply);

            using var dotnet = new NegotiateAuthentication(new NegotiateAuthenticationClientOptions { Package = package, TargetName = RealmFixture.ServicePrincipal, Credential = alice });
            corpus.Add(dotnet.GetOutgoingBlob(ReadOnlySpan<byte>.Empty, out NegotiateAuthenticationStatusCode status) ?? throw new InvalidOperationException($"no {package} token: {status}"));
        }

        // The bare AP-REQ of the Kerberos token: after 60 len, the krb5 OID (06 09 …) and TOK_ID 01 00.
        byte[] gss = corpus[0];
        corpus.Add(gss[(gss.AsSpan().IndexOf((ReadOnlySpan<byte>)[0x01, 0x00, 0x6E]) + 2)..]);
        foreach (byte[] token in corpus)
        {
            // Also the warm-up: the first SHA-256 of the process initialises OpenSSL (and allocates).
            Assert.NotEqual(ApReqStatus.Malformed, ReplayTag.TryCompute(token, out _));
        }

        return [.. corpus];
    }
}
