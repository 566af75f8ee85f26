using Xunit;
using Xunit.Abstractions;

namespace ActorAuth.Fuzz;

/// <summary>
/// Mutated real handshakes and real protected frames against the real server (in-process, real KDC,
/// loopback sockets). Nothing may crash the process, hang a connection, leak a context, or keep an honest
/// client from authenticating. Fixed seed in the suite; scripts/fuzz.sh runs it longer or replays one case.
/// </summary>
[Collection(RealmCollection.Name)]
public sealed class NetworkFuzzTests(RealmFixture realm, ITestOutputHelper output)
{
    [Fact]
    public async Task Mutated_handshake_tokens_never_crash_hang_or_leak_and_honest_clients_keep_authenticating()
    {
        if (Skipped(FuzzPhase.Handshake))
        {
            return;
        }

        await using TestServer server = await TestServer.StartAsync(realm, NetworkFuzzer.ServerSettings);
        var fuzzer = new NetworkFuzzer(server, FuzzSettings.Current, output);
        await fuzzer.RecordAsync();
        await fuzzer.RunAsync(FuzzPhase.Handshake, suiteCases: 96, batchSize: 16, FuzzSettings.Current.DeadlineFor(0.45));
    }

    [Fact]
    public async Task Mutated_protected_frames_after_a_real_handshake_never_crash_hang_or_leak_and_honest_clients_keep_authenticating()
    {
        if (Skipped(FuzzPhase.Session))
        {
            return;
        }

        await using TestServer server = await TestServer.StartAsync(realm, NetworkFuzzer.ServerSettings);
        var fuzzer = new NetworkFuzzer(server, FuzzSettings.Current, output);
        await fuzzer.RecordAsync();
        await fuzzer.RunAsync(FuzzPhase.Session, suiteCases: 32, batchSize: 8, FuzzSettings.Current.DeadlineFor(0.4));
    }

    /// <summary>A replay of one case (FUZZ_PHASE) runs only that phase's test.</summary>
    private bool Skipped(FuzzPhase phase)
    {
        string? only = Environment.GetEnvironmentVariable("FUZZ_PHASE");
        bool skip = FuzzSettings.Current.ReplayCase is not null && only is { Length: > 0 } && !string.Equals(only, phase.ToString(), StringComparison.OrdinalIgnoreCase);
        if (skip)
        {
            output.WriteLine($"skipped: replaying a {only} case");
        }

        return skip;
    }
}
