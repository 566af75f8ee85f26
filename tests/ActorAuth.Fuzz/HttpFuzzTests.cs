using System.Net;
using System.Net.Security;
using ActorAuth.Security;
using Xunit;
using Xunit.Abstractions;

namespace ActorAuth.Fuzz;

/// <summary>
/// Mutated real Negotiate tokens (bit flips, truncations, insertions, splices, random bytes) and hostile header
/// text against the http listener: every one is refused with 400 or 401 — never served, never a 5xx — the server
/// leaks no context, and an honest client is served after. Fixed seed (FUZZ_SEED), as the other fuzzers.
/// </summary>
[Collection(RealmCollection.Name)]
public sealed class HttpFuzzTests(RealmFixture realm, ITestOutputHelper output)
{
    private const int Cases = 240;

    private static readonly (string, string)[] HttpListener =
    [
        ("actorauth:listeners:0:kind", "http"),
        ("actorauth:listeners:0:port", "0"),
    ];

    private static byte[] AliceToken(NetworkCredential alice)
    {
        using var context = new ClientSecurityContext(new ClientContextOptions
        {
            TargetName = "HTTP/localhost",
            Credential = alice,
            RequiredProtectionLevel = ProtectionLevel.None,
        });
        context.Initialize([], out byte[]? token);
        return token!;
    }

    /// <summary>One hostile Authorization header value, from a real token (already used once, so a replay at best).</summary>
    private static string Mutate(Random rng, byte[] token)
    {
        byte[] bytes = [.. token];
        switch (rng.Next(7))
        {
            case 0:
                for (int i = 0, n = rng.Next(1, 8); i < n; i++)
                {
                    bytes[rng.Next(bytes.Length)] ^= (byte)(1 << rng.Next(8));
                }

                break;
            case 1:
                bytes = bytes[..rng.Next(1, bytes.Length)];
                break;
            case 2:
                bytes = [.. bytes[..(rng.Next(bytes.Length))], .. Enumerable.Range(0, rng.Next(1, 64)).Select(_ => (byte)rng.Next(256)), .. bytes[rng.Next(bytes.Length)..]];
                break;
            case 3:
                bytes = [.. Enumerable.Range(0, rng.Next(1, 4096)).Select(_ => (byte)rng.Next(256))];
                break;
            case 4:
                bytes = [0x60, .. bytes[rng.Next(1, bytes.Length)..]];
                break;
            case 5:
                // Not base64 at all: printable junk after the scheme.
                return "Negotiate " + new string([.. Enumerable.Range(0, rng.Next(1, 200)).Select(_ => (char)rng.Next(0x21, 0x7f))]);
            default:
                return (rng.Next(2) == 0 ? "negotiate" : "NEGOTIATE") + new string(' ', rng.Next(0, 3)) + Convert.ToBase64String(bytes);
        }

        return "Negotiate " + Convert.ToBase64String(bytes);
    }

    [Fact]
    public async Task Mutated_negotiate_headers_are_refused_with_400_or_401_and_leak_nothing()
    {
        await using TestServer server = await TestServer.StartAsync(realm, [], HttpListener);
        NetworkCredential alice = server.CredentialOf("alice");
        byte[] seen = AliceToken(alice);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        string url = $"http://localhost:{server.PortOf("http")}/whoami";
        async Task<HttpStatusCode> SendAsync(string authorization)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
            using HttpResponseMessage response = await http.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await SendAsync("Negotiate " + Convert.ToBase64String(seen)));
        var statuses = new Dictionary<HttpStatusCode, int>();
        for (int batch = 0; batch < Cases / 8; batch++)
        {
            string[] headers = [.. Enumerable.Range(0, 8).Select(i => Mutate(Mutator.For(FuzzSettings.Current.Seed, (batch * 8) + i, 7), seen))];
            HttpStatusCode[] answers = await Task.WhenAll(headers.Select(SendAsync));
            for (int i = 0; i < answers.Length; i++)
            {
                Assert.True(answers[i] is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized,
                    $"case {(batch * 8) + i} (FUZZ_SEED={FuzzSettings.Current.Seed}): {answers[i]} for '{headers[i][..Math.Min(80, headers[i].Length)]}…'\n{server.Log}");
                statuses[answers[i]] = statuses.GetValueOrDefault(answers[i]) + 1;
            }
        }

        Assert.Equal(HttpStatusCode.OK, await SendAsync("Negotiate " + Convert.ToBase64String(AliceToken(alice))));
        Assert.True(await TestServer.EventuallyAsync(() => server.Metrics.LiveContexts == 0 && server.Metrics.LiveHandshakes == 0),
            $"contexts {server.Metrics.LiveContexts}, handshakes {server.Metrics.LiveHandshakes}");
        output.WriteLine(string.Join(", ", statuses.Select(s => $"{(int)s.Key}: {s.Value}")));
    }
}
