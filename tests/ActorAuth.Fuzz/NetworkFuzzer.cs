using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using ActorAuth.Client;
using ActorAuth.Protocol;
using ActorAuth.Security;
using Xunit.Abstractions;

namespace ActorAuth.Fuzz;

/// <summary>Which input of the server a network case attacks.</summary>
public enum FuzzPhase
{
    /// <summary>The handshake actor's input: mutated first tokens (fresh, per case), stray wrap tokens, garbage.</summary>
    Handshake,

    /// <summary>The session actor's input: a real handshake, then mutated wrap tokens of that very session.</summary>
    Session,
}

/// <summary>
/// Sends mutated real traffic to the real server over loopback sockets, in batches; after each batch it
/// checks that an honest client still authenticates and round-trips an echo, and that the live contexts
/// and connections return to zero once every fuzz connection is closed. A connection the server keeps open
/// longer than <see cref="HangLimit"/> is a finding (the fuzzer then closes it itself).
/// </summary>
internal sealed partial class NetworkFuzzer(TestServer server, FuzzSettings settings, ITestOutputHelper output)
{
    /// <summary>Server settings for fuzzing: short timeouts so a silent or half-sent case ends fast.</summary>
    public static readonly (string Key, string Value)[] ServerSettings =
    [
        ("handshake:receive-timeout", "1s"),
        ("session:idle-timeout", "1s"),
    ];

    /// <summary>Longest a fuzz connection may stay open: the 1 s timeouts, trickled writes, and a loaded, shared machine.</summary>
    public static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(8);

    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

    private readonly NetworkCredential _alice = server.CredentialOf("alice");
    private readonly List<byte[]> _corpus = [];
    private readonly Dictionary<string, int> _reasons = [];
    private int _honest;

    /// <summary>Records the corpus every case can splice from: first tokens of both packages and a real session's wrap tokens.</summary>
    public async Task RecordAsync()
    {
        foreach (string package in new[] { SecurityPackages.Kerberos, SecurityPackages.Negotiate })
        {
            _corpus.Add(FirstToken(package, _alice));
        }

        (ClientSecurityContext recorder, byte[]? first) = Initialized(SecurityPackages.Negotiate);
        using ClientSecurityContext context = recorder;
        using FuzzConnection connection = await FuzzConnection.ConnectAsync(server.Port, 0);
        await HandshakeAsync(connection, context, first);
        _corpus.AddRange(WrapTokens(context, new Random(settings.Seed)));
        output.WriteLine($"corpus: {_corpus.Count} recorded frames ({string.Join(", ", _corpus.Select(c => c.Length + " B"))})");
    }

    /// <summary>Runs the phase's cases (all, until the deadline, or the one being replayed) in batches.</summary>
    public async Task RunAsync(FuzzPhase phase, int suiteCases, int batchSize, DateTime deadline)
    {
        var clock = Stopwatch.StartNew();
        int next = 0;
        int run = 0;
        while (true)
        {
            int[] batch;
            if (settings.ReplayCase is int replay)
            {
                if (next > 0)
                {
                    break;
                }

                batch = [replay];
                output.WriteLine($"replaying {phase} case {replay} of FUZZ_SEED={settings.Seed}");
            }
            else
            {
                bool more = settings.IsLongRun ? DateTime.UtcNow < deadline && next < 10_000_000 : next < suiteCases;
                if (!more)
                {
                    break;
                }

                batch = Enumerable.Range(next, batchSize).ToArray();
            }

            next += batch.Length;
            CaseResult[] results = await Task.WhenAll(batch.Select(i => RunCaseAsync(phase, i)).Append(HonestAsync(run)));
            run += batch.Length;
            CaseResult[] failed = results.Where(r => r.Failure is not null).ToArray();
            if (failed.Length > 0)
            {
                throw new Xunit.Sdk.XunitException(Describe(phase, failed) + Environment.NewLine + "server log (tail):" + Environment.NewLine + server.Log.Tail());
            }

            await CheckHonestAndSettledAsync(phase, results);
        }

        CountReasons();
        output.WriteLine($"{phase}: FUZZ_SEED={settings.Seed}, {run} case(s) in {clock.Elapsed.TotalSeconds:0.0} s, {_honest} honest round trip(s), " +
            $"server: {server.Metrics.HandshakesSucceeded} handshakes succeeded, {server.Metrics.HandshakesFailed} failed, {server.Metrics.LiveContexts} contexts live");
        output.WriteLine("closes by phase/reason: " + string.Join(", ", _reasons.OrderByDescending(r => r.Value).Select(r => $"{r.Key} {r.Value}")));
    }

    private async Task CheckHonestAndSettledAsync(FuzzPhase phase, CaseResult[] batch)
    {
        CaseResult honest = await HonestAsync(batch.Length);
        if (honest.Failure is not null)
        {
            throw new Xunit.Sdk.XunitException($"after a batch of {phase} cases the honest client failed: {honest.Failure}{Environment.NewLine}{Describe(phase, batch)}{Environment.NewLine}{server.Log.Tail()}");
        }

        if (await TestServer.EventuallyAsync(() => server.Metrics.LiveContexts == 0 && server.Metrics.LiveConnections == 0, Settle))
        {
            return;
        }

        // Something leaked: find which case by running each alone.
        var culprits = new List<CaseResult>();
        foreach (CaseResult result in batch.Where(r => r.Index >= 0))
        {
            if (!await TestServer.EventuallyAsync(() => server.Metrics.LiveContexts == 0 && server.Metrics.LiveConnections == 0, Settle))
            {
                break;
            }

            CaseResult again = await RunCaseAsync(phase, result.Index);
            if (!await TestServer.EventuallyAsync(() => server.Metrics.LiveContexts == 0 && server.Metrics.LiveConnections == 0, Settle))
            {
                culprits.Add(again with { Failure = "leaked: contexts/connections did not return to zero after it closed" });
                break;
            }
        }

        throw new Xunit.Sdk.XunitException(
            $"after a batch of {phase} cases, {server.Metrics.LiveContexts} context(s) and {server.Metrics.LiveConnections} connection(s) stayed live {Settle.TotalSeconds} s after every fuzz connection closed" +
            Environment.NewLine + Describe(phase, culprits.Count > 0 ? [.. culprits] : batch) + Environment.NewLine + server.Log.Tail());
    }

    private async Task<CaseResult> RunCaseAsync(FuzzPhase phase, int index)
    {
        Random rng = Mutator.For(settings.Seed, index, (int)phase);
        FuzzStream? stream = null;
        var clock = Stopwatch.StartNew();
        FuzzConnection? connection = null;
        ClientSecurityContext? context = null;
        try
        {
            // Tickets come from the KDC before the connection opens: on a loaded machine that can take longer
            // than the server's 1 s receive timeout, which would end the case before it began.
            List<byte[]> primary;
            if (phase == FuzzPhase.Handshake)
            {
                // A fresh token (not refused as a replay when the mutations spare it), or a recorded one.
                string package = rng.Next(2) == 0 ? SecurityPackages.Kerberos : SecurityPackages.Negotiate;
                primary = rng.Next(4) == 0 ? [_corpus[rng.Next(_corpus.Count)]] : [await Task.Run(() => FirstToken(package, _alice))];
                connection = await FuzzConnection.ConnectAsync(server.Port, index);
            }
            else
            {
                string package = rng.Next(2) == 0 ? SecurityPackages.Kerberos : SecurityPackages.Negotiate;
                (context, byte[]? first) = await Task.Run(() => Initialized(package));
                connection = await FuzzConnection.ConnectAsync(server.Port, index);
                await HandshakeAsync(connection, context, first);
                primary = WrapTokens(context, rng);
            }

            stream = Mutator.Mutate(rng, primary, _corpus, 64 * 1024);
            foreach (ReadOnlyMemory<byte> write in stream.Writes())
            {
                if (!await connection.SendAsync(write))
                {
                    break;
                }

                if (stream.DelayMs > 0)
                {
                    await Task.Delay(stream.DelayMs);
                }
            }

            if (stream.HalfClose)
            {
                connection.ShutdownSend();
            }

            long? received = await connection.ReadUntilClosedAsync(HangLimit);
            return received is null
                ? new CaseResult(index, stream, $"hung: the server kept the connection open {clock.Elapsed.TotalSeconds:0.0} s (limit {HangLimit.TotalSeconds} s)")
                : new CaseResult(index, stream, null);
        }
        catch (Exception e)
        {
            return new CaseResult(index, stream, $"{e.GetType().Name}: {e.Message}");
        }
        finally
        {
            context?.Dispose();
            connection?.Dispose();
        }
    }

    private async Task<CaseResult> HonestAsync(int round)
    {
        string package = round % 2 == 0 ? SecurityPackages.Negotiate : SecurityPackages.Kerberos;
        try
        {
            await using AuthenticatedChannel channel = await server.ConnectAsync(package: package);
            byte[] message = Encoding.UTF8.GetBytes($"honest {round}");
            ReadOnlyMemory<byte> reply = await channel.RequestAsync(message);
            if (!channel.IsMutuallyAuthenticated || !reply.Span.SequenceEqual(message))
            {
                return new CaseResult(-1, null, $"honest {package} client: mutual={channel.IsMutuallyAuthenticated}, echo '{Encoding.UTF8.GetString(reply.Span)}'");
            }

            Interlocked.Increment(ref _honest);
            return new CaseResult(-1, null, null);
        }
        catch (Exception e)
        {
            return new CaseResult(-1, null, $"honest {package} client: {e.GetType().Name}: {e.Message}");
        }
    }

    private string Describe(FuzzPhase phase, IEnumerable<CaseResult> results)
    {
        var text = new StringBuilder();
        foreach (CaseResult r in results)
        {
            if (r.Index < 0)
            {
                text.AppendLine(r.Failure ?? "honest client ok");
                continue;
            }

            text.AppendLine($"{phase} case {r.Index} of FUZZ_SEED={settings.Seed}: {r.Failure ?? "ok"}");
            text.AppendLine($"  replay: scripts/fuzz.sh --seed {settings.Seed} --case {r.Index} --phase {phase.ToString().ToLowerInvariant()}");
            string source = $" 127.0.0.{2 + (r.Index % 240)}:";
            foreach (string line in server.Log.Lines.Where(l => l.Contains(source, StringComparison.Ordinal)).TakeLast(12))
            {
                text.AppendLine("  server: " + line);
            }

            if (r.Stream is not null)
            {
                text.AppendLine($"  mutations: {string.Join("; ", r.Stream.Operations)}");
                text.AppendLine($"  writes at [{string.Join(",", r.Stream.Cuts)}], {r.Stream.Bytes.Length} bytes: {Hex.Of(r.Stream.Bytes)}");
            }
        }

        return text.ToString();
    }

    private void CountReasons()
    {
        _reasons.Clear();
        foreach (string line in server.Log.Lines)
        {
            Match m = CloseLine().Match(line);
            if (m.Success)
            {
                string key = m.Groups[1].Value + "/" + m.Groups[2].Value;
                _reasons[key] = _reasons.GetValueOrDefault(key) + 1;
            }
        }
    }

    private static byte[] FirstToken(string package, NetworkCredential credential)
    {
        using var context = new ClientSecurityContext(new ClientContextOptions { Package = package, TargetName = RealmFixture.ServicePrincipal, Credential = credential });
        SecurityStatus status = context.Initialize([], out byte[]? token);
        return !status.IsError && token is { Length: > 0 } ? token : throw new InvalidOperationException($"no first {package} token: {status}");
    }

    /// <summary>A client context that has made its first token (which asks the KDC for the tickets).</summary>
    private (ClientSecurityContext Context, byte[]? FirstToken) Initialized(string package)
    {
        var context = new ClientSecurityContext(new ClientContextOptions { Package = package, TargetName = RealmFixture.ServicePrincipal, Credential = _alice });
        SecurityStatus status = context.Initialize([], out byte[]? token);
        if (status.IsError)
        {
            context.Dispose();
            throw new InvalidOperationException($"no first {package} token: {status}");
        }

        return (context, token);
    }

    /// <summary>Finishes an honest handshake begun with <paramref name="firstToken"/> and checks the greeting.</summary>
    private static async Task HandshakeAsync(FuzzConnection connection, ClientSecurityContext context, byte[]? firstToken)
    {
        byte[]? token = firstToken;
        SecurityStatus status = new(SecurityStatusCode.ContinueNeeded, string.Empty);
        while (true)
        {
            if (status.IsError)
            {
                throw new InvalidOperationException($"honest handshake before the session case failed: {status}");
            }

            if (token is { Length: > 0 } && !await connection.SendFrameAsync(token))
            {
                throw new InvalidOperationException("the server closed during an honest handshake");
            }

            if (status.Code == SecurityStatusCode.Completed)
            {
                break;
            }

            byte[] reply = await connection.ReceiveFrameAsync(HangLimit) ?? throw new InvalidOperationException("the server closed during an honest handshake");
            status = context.Initialize(reply, out token);
        }

        byte[] greeting = await connection.ReceiveFrameAsync(HangLimit) ?? throw new InvalidOperationException("no greeting after an honest handshake");
        var plaintext = new ArrayBufferWriter<byte>();
        SecurityStatus unwrapped = context.Unwrap(greeting, plaintext, out _);
        if (unwrapped.IsError || !Greeting.TryParse(plaintext.WrittenSpan, out Greeting? parsed) || parsed is not { IsAccepted: true })
        {
            throw new InvalidOperationException($"the greeting did not verify or was a refusal: {unwrapped}");
        }
    }

    private static List<byte[]> WrapTokens(ClientSecurityContext context, Random rng)
    {
        var tokens = new List<byte[]>();
        string[] operations = ["echo", "whoami", "", "nosuchop"];
        int count = 1 + rng.Next(4);
        for (int i = 0; i < count; i++)
        {
            var body = new byte[rng.Next(4) == 0 ? rng.Next(2000) : rng.Next(40)];
            rng.NextBytes(body);
            var plaintext = new ArrayBufferWriter<byte>();
            SessionMessages.WriteRequest(plaintext, operations[rng.Next(operations.Length)], body);
            var token = new ArrayBufferWriter<byte>();
            SecurityStatus status = context.Wrap(plaintext.WrittenSpan, encrypt: rng.Next(6) != 0, token);
            if (status.IsError)
            {
                throw new InvalidOperationException($"wrap failed: {status}");
            }

            tokens.Add(token.WrittenSpan.ToArray());
        }

        return tokens;
    }

    [GeneratedRegex(@"closed in (\w+): ([\w-]+)")]
    private static partial Regex CloseLine();

    private sealed record CaseResult(int Index, FuzzStream? Stream, string? Failure);
}
