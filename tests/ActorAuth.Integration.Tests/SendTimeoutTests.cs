using ActorAuth.Client;
using Xunit;

namespace ActorAuth.Integration.Tests;

/// <summary>
/// A client that stops reading its replies cannot hold a session: a send that makes no progress for the send
/// timeout ends the connection with reason send-timeout, and a stuck send blocks neither the server's other
/// clients nor its shutdown.
/// </summary>
[Collection(RealmCollection.Name)]
public sealed class SendTimeoutTests(RealmFixture realm)
{
    private static readonly byte[] Megabyte = new byte[1024 * 1024];

    /// <summary>Sends 1 MiB echo requests and never reads a reply, until the server stops reading too (bounded).</summary>
    private static async Task StopReadingAsync(AuthenticatedChannel channel, TimeSpan bound)
    {
        using var stop = new CancellationTokenSource(bound);
        try
        {
            for (int i = 0; i < 200; i++)
            {
                await channel.SendAsync(Megabyte, cancellationToken: stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ActorAuthClientException or IOException or ObjectDisposedException)
        {
            // The server's sends filled both sockets' buffers and it stopped reading: this client's writes block.
        }
    }

    [Fact]
    public async Task A_client_that_stops_reading_is_ended_with_send_timeout_and_its_context_disposed()
    {
        await using TestServer server = await TestServer.StartAsync(realm, ("session:send-timeout", "1s"));
        await using AuthenticatedChannel stalled = await server.ConnectAsync();

        Task writing = StopReadingAsync(stalled, TimeSpan.FromSeconds(20));

        Assert.True(await TestServer.EventuallyAsync(() => server.Log.Lines.Any(l => l.Contains("closed in session: send-timeout", StringComparison.Ordinal)), TimeSpan.FromSeconds(20)),
            server.Log.ToString());
        Assert.True(await TestServer.EventuallyAsync(() => server.Metrics.LiveContexts == 0 && server.Metrics.LiveSessions == 0), server.Log.ToString());
        await writing;
        await using AuthenticatedChannel honest = await server.ConnectAsync();
        Assert.Equal("ok", System.Text.Encoding.UTF8.GetString((await honest.RequestAsync("ok"u8.ToArray())).Span));
    }

    [Fact]
    public async Task Shutdown_is_not_held_up_by_a_send_that_never_completes()
    {
        TestServer server = await TestServer.StartAsync(realm, ("session:send-timeout", "10m"), ("shutdown:drain-timeout", "1s"));
        await using AuthenticatedChannel stalled = await server.ConnectAsync();
        Task writing = StopReadingAsync(stalled, TimeSpan.FromSeconds(20));
        await Task.Delay(TimeSpan.FromSeconds(2)); // long enough for the server's reply to stop making progress

        var stopped = System.Diagnostics.Stopwatch.StartNew();
        await server.DisposeAsync();
        stopped.Stop();

        Assert.True(stopped.Elapsed < TimeSpan.FromSeconds(5), $"shutdown took {stopped.Elapsed}\n{server.Log}");
        Assert.Equal(0, server.Metrics.LiveContexts);
        await writing;
    }
}
