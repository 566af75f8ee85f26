using System.Buffers;
using System.Buffers.Binary;
using ActorAuth.Client;
using ActorAuth.Protocol;
using ActorAuth.Security;
using Xunit;

namespace ActorAuth.Integration.Tests;

/// <summary>
/// Every bad input gets a clear outcome: the connection is torn down with one log line giving the remote
/// address, the phase and a reason code; the security context is disposed; an honest client is still served.
/// </summary>
[Collection(RealmCollection.Name)]
public sealed class HostileInputTests(RealmFixture realm)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static async Task AssertHonestClientIsServedAsync(TestServer server)
    {
        await using AuthenticatedChannel honest = await server.ConnectAsync();
        Assert.Equal("ok", System.Text.Encoding.UTF8.GetString((await honest.RequestAsync("ok"u8.ToArray())).Span));
    }

    private static async Task AssertTornDownAsync(TestServer server, string reason)
    {
        Assert.True(await TestServer.EventuallyAsync(() => server.Log.Lines.Any(l => l.Contains("closed in handshake: " + reason, StringComparison.Ordinal) && l.Contains("127.0.0.1:", StringComparison.Ordinal))),
            $"no teardown line with reason {reason}\n{server.Log}");
        Assert.True(await TestServer.EventuallyAsync(() => server.Metrics.LiveContexts == 0), $"contexts left: {server.Metrics.LiveContexts}\n{server.Log}");
    }

    private byte[] FirstToken(string package = "Negotiate", string spn = RealmFixture.ServicePrincipal)
    {
        using var client = new ClientSecurityContext(new ClientContextOptions
        {
            Package = package,
            TargetName = spn,
            Credential = new(realm.Realm.PrincipalOf("alice"), realm.Realm.PasswordOf("alice")),
        });
        SecurityStatus status = client.Initialize([], out byte[]? token);
        Assert.False(status.IsError, status.ToString());
        return token!;
    }

    [Fact]
    public async Task A_length_prefix_of_4_GiB_is_refused_from_the_header()
    {
        await using TestServer server = await TestServer.StartAsync(realm);
        using RawClient hostile = await RawClient.ConnectAsync(server.Port);

        await hostile.SendAsync([0xFF, 0xFF, 0xFF, 0xFF]);
        await AssertHonestClientIsServedAsync(server);
        await hostile.ReadUntilClosedAsync(Timeout);

        await AssertTornDownAsync(server, "frame-too-large");
    }

    [Fact]
    public async Task A_frame_cut_off_by_a_close_is_reported_as_truncated()
    {
        await using TestServer server = await TestServer.StartAsync(realm);
        byte[] token = FirstToken();
        using (RawClient hostile = await RawClient.ConnectAsync(server.Port))
        {
            var header = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)token.Length);
            await hostile.SendAsync([.. header, .. token.AsSpan(0, token.Length / 2)]);
        }

        await AssertTornDownAsync(server, "truncated-frame");
        await AssertHonestClientIsServedAsync(server);
    }

    [Fact]
    public async Task A_client_trickling_one_byte_at_a_time_is_torn_down_at_the_handshake_deadline()
    {
        await using TestServer server = await TestServer.StartAsync(realm, ("handshake:deadline", "1500ms"), ("handshake:receive-timeout", "10s"));
        byte[] frame = [.. BitConverter.GetBytes(FirstToken().Length), .. FirstToken()];
        using RawClient trickler = await RawClient.ConnectAsync(server.Port);

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(8));
        for (int i = 0; i < frame.Length && !stop.IsCancellationRequested; i++)
        {
            try
            {
                await trickler.SendAsync([frame[i]]);
            }
            catch (System.Net.Sockets.SocketException)
            {
                break; // torn down
            }

            if (server.Log.Lines.Any(l => l.Contains("handshake-deadline", StringComparison.Ordinal)))
            {
                break;
            }

            await Task.Delay(100);
        }

        await AssertTornDownAsync(server, "handshake-deadline");
        await AssertHonestClientIsServedAsync(server);
    }

    public static TheoryData<int> CutPoints() => new() { 0, 1, 3, 4, 5, 100, -1 };

    [Theory]
    [MemberData(nameof(CutPoints))]
    public async Task A_disconnect_at_any_point_of_the_handshake_leaks_nothing(int cut)
    {
        await using TestServer server = await TestServer.StartAsync(realm);
        byte[] token = FirstToken("Kerberos");
        byte[] frame = [.. BitConverter.GetBytes(token.Length), .. token];
        using (RawClient client = await RawClient.ConnectAsync(server.Port))
        {
            // -1: the whole token, then close without reading the server's answer.
            await client.SendAsync(frame[..(cut < 0 ? frame.Length : cut)]);
        }

        Assert.True(await TestServer.EventuallyAsync(() => server.Metrics.LiveConnections == 0 && server.Metrics.LiveContexts == 0 && server.Metrics.LiveHandshakes == 0),
            $"cut at {cut}: connections {server.Metrics.LiveConnections}, contexts {server.Metrics.LiveContexts}, handshakes {server.Metrics.LiveHandshakes}\n{server.Log}");
        await AssertHonestClientIsServedAsync(server);
    }

    [Fact]
    public async Task A_data_frame_sent_before_the_handshake_completes_is_refused_as_an_invalid_token()
    {
        await using TestServer server = await TestServer.StartAsync(realm);
        (ManualClient other, _) = await ManualClient.ConnectAsync(server);
        byte[] dataFrame = other.Protect("echo", "too early"u8.ToArray());
        other.Dispose();
        using RawClient early = await RawClient.ConnectAsync(server.Port);

        await early.SendFrameAsync(dataFrame);
        await early.ReadUntilClosedAsync(Timeout);

        await AssertTornDownAsync(server, "invalid-token");
        await AssertHonestClientIsServedAsync(server);
    }

    [Fact]
    public async Task An_ap_req_replayed_from_an_earlier_connection_is_refused_by_the_replay_cache()
    {
        await using TestServer server = await TestServer.StartAsync(realm, ("package", "Kerberos"));
        byte[] token = FirstToken("Kerberos");
        using (RawClient first = await RawClient.ConnectAsync(server.Port))
        {
            await first.SendFrameAsync(token);
            Assert.NotNull(await first.ReceiveFrameAsync(Timeout)); // the AP-REP: accepted once
        }

        using RawClient replay = await RawClient.ConnectAsync(server.Port);
        await replay.SendFrameAsync(token);
        await replay.ReadUntilClosedAsync(Timeout);

        Assert.True(await TestServer.EventuallyAsync(() => server.Log.Lines.Any(l => l.Contains("closed in handshake", StringComparison.Ordinal) && l.Contains("replay", StringComparison.OrdinalIgnoreCase))),
            server.Log.ToString());
        Assert.True(await TestServer.EventuallyAsync(() => server.Metrics.LiveContexts == 0), server.Log.ToString());
    }

    [Fact]
    public async Task Past_the_handshake_limit_new_connections_are_refused_at_once_and_sessions_go_on()
    {
        await using TestServer server = await TestServer.StartAsync(realm, ("limits:max-handshakes", "3"), ("handshake:receive-timeout", "2s"));
        await using AuthenticatedChannel session = await server.ConnectAsync();
        var silent = new List<RawClient>();
        for (int i = 0; i < 3; i++)
        {
            silent.Add(await RawClient.ConnectAsync(server.Port));
        }

        Assert.True(await TestServer.EventuallyAsync(() => server.Metrics.LiveHandshakes == 3), $"handshakes {server.Metrics.LiveHandshakes}");
        using RawClient refused = await RawClient.ConnectAsync(server.Port);
        byte[] received = await refused.ReadUntilClosedAsync(TimeSpan.FromSeconds(1));

        Assert.Empty(received);
        Assert.Equal(1, server.Metrics.AdmissionsRefused);
        Assert.Contains(server.Log.Lines, l => l.Contains("refused at accept: max-handshakes", StringComparison.Ordinal));
        Assert.Equal("still served", System.Text.Encoding.UTF8.GetString((await session.RequestAsync("still served"u8.ToArray())).Span));
        silent.ForEach(s => s.Dispose());
        Assert.True(await TestServer.EventuallyAsync(() => server.Metrics.LiveHandshakes == 0), server.Log.ToString());
        await AssertHonestClientIsServedAsync(server);
    }

    [Fact]
    public async Task Past_the_per_address_rate_new_connections_are_refused()
    {
        await using TestServer server = await TestServer.StartAsync(realm, ("limits:per-address-rate", "1"), ("limits:per-address-burst", "2"));
        using RawClient a = await RawClient.ConnectAsync(server.Port);
        using RawClient b = await RawClient.ConnectAsync(server.Port);
        using RawClient c = await RawClient.ConnectAsync(server.Port);

        await c.ReadUntilClosedAsync(TimeSpan.FromSeconds(2));

        Assert.True(await TestServer.EventuallyAsync(() => server.Metrics.AdmissionsRefused >= 1), server.Log.ToString());
        Assert.Contains(server.Log.Lines, l => l.Contains("rate-limit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_token_for_another_service_is_refused_and_the_client_hears_why()
    {
        await using TestServer server = await TestServer.StartAsync(realm);

        var e = await Assert.ThrowsAsync<ActorAuthClientException>(() => server.ConnectAsync(spn: RealmFixture.KeylessServicePrincipal));

        Assert.True(e.Failure == ClientFailure.ServerRefused, e.Message);
        // MIT keeps its error text per thread, so an in-process client may show the server's wording for the same reason.
        Assert.True(e.Message.Contains("isn't for us", StringComparison.Ordinal) || e.Message.Contains("not found in keytab", StringComparison.Ordinal), e.Message);
        await AssertTornDownAsync(server, "");
    }
}
