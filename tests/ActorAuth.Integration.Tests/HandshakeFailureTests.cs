using ActorAuth.Client;
using Xunit;

namespace ActorAuth.Integration.Tests;

/// <summary>Handshakes that must fail do so clearly, tear down only their own connection, and leak nothing.</summary>
[Collection(RealmCollection.Name)]
public sealed class HandshakeFailureTests(RealmFixture realm)
{
    [Fact]
    public async Task A_client_targeting_an_spn_the_server_has_no_key_for_fails_clearly_and_the_server_keeps_serving()
    {
        await using TestServer server = await TestServer.StartAsync(realm);

        var e = await Assert.ThrowsAsync<ActorAuthClientException>(() => server.ConnectAsync(spn: RealmFixture.KeylessServicePrincipal));

        Assert.True(e.Failure == ClientFailure.ServerRefused, $"{e.Failure}: {e.Message}");
        Assert.Contains(RealmFixture.KeylessServicePrincipal, e.Message, StringComparison.Ordinal);
        Assert.True(await TestServer.EventuallyAsync(() => server.Metrics.HandshakesFailed == 1), server.Log.ToString());
        await using AuthenticatedChannel honest = await server.ConnectAsync();
        Assert.True(honest.IsMutuallyAuthenticated);
        string[] refusals = ["invalid-credentials", "unknown-credentials", "security-failure"];
        Assert.True(
            server.Log.Lines.Any(l => l.Contains("conn 1 ", StringComparison.Ordinal) && l.Contains("closed in handshake", StringComparison.Ordinal) && refusals.Any(r => l.Contains(r, StringComparison.Ordinal))),
            server.Log.ToString());
    }

    [Fact]
    public async Task A_client_targeting_an_spn_the_kdc_does_not_know_fails_before_connecting()
    {
        await using TestServer server = await TestServer.StartAsync(realm);

        var e = await Assert.ThrowsAsync<ActorAuthClientException>(() => server.ConnectAsync(spn: "nosuchservice/localhost"));

        Assert.Contains("nosuchservice/localhost", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.Metrics.HandshakesFailed + server.Metrics.HandshakesSucceeded);
    }

    [Fact]
    public async Task A_wrong_password_fails_clearly_on_the_client()
    {
        await using TestServer server = await TestServer.StartAsync(realm);
        var options = new ActorAuthClientOptions { Credential = new System.Net.NetworkCredential("alice", "not-alices-password") };

        var e = await Assert.ThrowsAsync<ActorAuthClientException>(() =>
            ActorAuthClient.ConnectAsync("127.0.0.1", server.Port, RealmFixture.ServicePrincipal, options));

        Assert.Equal(ClientFailure.CredentialsRejected, e.Failure);
        Assert.Contains("credentials", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_client_that_connects_and_sends_nothing_is_torn_down_after_the_receive_timeout()
    {
        await using TestServer server = await TestServer.StartAsync(realm, ("handshake:receive-timeout", "1s"));
        using RawClient silent = await RawClient.ConnectAsync(server.Port);

        byte[] received = await silent.ReadUntilClosedAsync(TimeSpan.FromSeconds(10));

        Assert.Empty(received);
        Assert.Contains(server.Log.Lines, l => l.Contains("receive-timeout", StringComparison.Ordinal));
        Assert.True(await TestServer.EventuallyAsync(() => server.Metrics.LiveContexts == 0), server.Log.ToString());
    }

    [Fact]
    public async Task A_client_that_sends_a_garbage_token_is_torn_down_and_the_server_keeps_serving()
    {
        await using TestServer server = await TestServer.StartAsync(realm);
        using RawClient garbage = await RawClient.ConnectAsync(server.Port);

        await garbage.SendFrameAsync("this is not a GSS-API token"u8.ToArray());
        await garbage.ReadUntilClosedAsync(TimeSpan.FromSeconds(10));

        Assert.True(await TestServer.EventuallyAsync(() => server.Metrics.HandshakesFailed == 1), server.Log.ToString());
        await using AuthenticatedChannel honest = await server.ConnectAsync();
        Assert.True(honest.IsMutuallyAuthenticated);
        Assert.True(await TestServer.EventuallyAsync(() => server.Metrics.LiveContexts == 1), server.Log.ToString());
    }

    [Fact]
    public async Task A_frame_longer_than_the_maximum_is_refused_from_its_header()
    {
        await using TestServer server = await TestServer.StartAsync(realm, ("max-frame", "1KiB"));
        using RawClient hostile = await RawClient.ConnectAsync(server.Port);

        await hostile.SendAsync([0x01, 0x04, 0x00, 0x00]); // declares 1,025 bytes and sends none of them
        await hostile.ReadUntilClosedAsync(TimeSpan.FromSeconds(10));

        Assert.Contains(server.Log.Lines, l => l.Contains("frame-too-large", StringComparison.Ordinal) && l.Contains("1025", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_zero_length_frame_is_refused()
    {
        await using TestServer server = await TestServer.StartAsync(realm);
        using RawClient hostile = await RawClient.ConnectAsync(server.Port);

        await hostile.SendAsync([0, 0, 0, 0]);
        await hostile.ReadUntilClosedAsync(TimeSpan.FromSeconds(10));

        Assert.Contains(server.Log.Lines, l => l.Contains("empty-frame", StringComparison.Ordinal));
    }
}
