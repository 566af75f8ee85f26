using System.Text.RegularExpressions;
using ActorAuth.Protocol;
using Xunit;

namespace ActorAuth.Integration.Tests;

/// <summary>
/// MIT's own <c>gss-client</c> (Debian's krb5-gss-samples), unmodified, against a gss-sample listener: it must
/// succeed exactly as against MIT's <c>gss-server</c>, and the server must log the principal as gss-server prints it.
/// </summary>
[Collection(RealmCollection.Name)]
public sealed partial class GssSampleListenerTests(RealmFixture realm)
{
    private const string Listener = "gss-sample";

    private Task<TestServer> StartAsync() => TestServer.StartWithListenersAsync(realm, [WireDialect.GssSample]);

    /// <summary>Runs gss-client as alice (password login, no ticket cache) against the listener with <paramref name="options"/>.</summary>
    private async Task<(int ExitCode, string Output)> GssClientAsync(TestServer server, params string[] options)
    {
        string[] arguments =
        [
            "-port", server.PortOf(Listener).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-user", realm.Realm.PrincipalOf("alice"), "-pass", realm.Realm.PasswordOf("alice"),
            .. options,
            "localhost", "actorauth@localhost", "hello from gss-client",
        ];
        (int exitCode, string stdout, string stderr) = await ChildProcess.RunAsync("gss-client", realm.Realm.Environment, arguments);
        return (exitCode, $"gss-client {string.Join(' ', options)} exited {exitCode}\n{stdout}\n{stderr}\nserver log:\n{server.Log}");
    }

    [Theory]
    [InlineData("-krb5")]
    [InlineData("-spnego")]
    public async Task gss_client_authenticates_and_its_message_is_answered_with_a_MIC_it_verifies(string mechanism)
    {
        await using TestServer server = await StartAsync();

        (int exitCode, string output) = await GssClientAsync(server, mechanism);

        Assert.True(exitCode == 0, output);
        Assert.Contains("Signature verified.", output, StringComparison.Ordinal);
        Assert.True(await TestServer.EventuallyAsync(() => server.Log.Lines.Any(l => l.Contains($"Accepted connection: \"{realm.Realm.PrincipalOf("alice")}\"", StringComparison.Ordinal))), output);
    }

    [Fact]
    public async Task Several_contexts_with_several_messages_each_all_succeed()
    {
        await using TestServer server = await StartAsync();

        (int exitCode, string output) = await GssClientAsync(server, "-spnego", "-ccount", "3", "-mcount", "4");

        Assert.True(exitCode == 0, output);
        Assert.Equal(12, SignatureVerified().Count(output));
        Assert.True(await TestServer.EventuallyAsync(() => server.Metrics.HandshakesSucceeded == 3 && server.Metrics.LiveContexts == 0), output);
    }

    [Fact]
    public async Task A_message_without_MIC_is_answered_with_a_NOOP()
    {
        await using TestServer server = await StartAsync();

        (int exitCode, string output) = await GssClientAsync(server, "-nm");

        Assert.True(exitCode == 0, output);
        Assert.Contains("Response received.", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-na", "closed in handshake: protocol-violation")]
    [InlineData("-nw", "closed in session: protection-requirements-not-met")]
    [InlineData("-nx", "closed in session: protection-requirements-not-met")]
    public async Task What_gss_server_would_serve_unprotected_is_refused_with_a_reason(string option, string teardown)
    {
        await using TestServer server = await StartAsync();

        (int exitCode, string output) = await GssClientAsync(server, option);

        Assert.True(exitCode != 0, output);
        Assert.True(await TestServer.EventuallyAsync(() => server.Log.Lines.Any(l => l.Contains(teardown, StringComparison.Ordinal))), output);
        Assert.True(await TestServer.EventuallyAsync(() => server.Metrics.LiveContexts == 0), output);
    }

    [Fact]
    public async Task Its_handshakes_are_counted_under_its_listener_name()
    {
        var succeeded = new System.Collections.Concurrent.ConcurrentQueue<string?>();
        using var meters = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument is { Meter.Name: ActorAuth.Server.Metrics.ServerMetrics.MeterName, Name: "actorauth.handshakes.succeeded" })
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<long>((_, _, tags, _) =>
            succeeded.Enqueue(tags.ToArray().FirstOrDefault(t => t.Key == "listener").Value as string));
        meters.Start();
        await using TestServer server = await StartAsync();

        (int exitCode, string output) = await GssClientAsync(server, "-krb5");

        Assert.True(exitCode == 0, output);
        Assert.Contains(Listener, succeeded);
    }

    [GeneratedRegex("Signature verified\\.")]
    private static partial Regex SignatureVerified();
}
