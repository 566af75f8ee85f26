using System.Net.Security;
using System.Text;
using ActorAuth.Client;
using ActorAuth.Protocol;
using Xunit;

namespace ActorAuth.Integration.Tests;

/// <summary>After mutual authentication, every message is protected; a bad frame ends only its own session.</summary>
[Collection(RealmCollection.Name)]
public sealed class MessageProtectionTests(RealmFixture realm)
{
    private const int MaxMessage = 1024 * 1024;

    public static TheoryData<string, int> ProtectionsAndSizes()
    {
        var data = new TheoryData<string, int>();
        foreach (string protection in new[] { "encrypt", "sign" })
        {
            foreach (int size in new[] { 0, 1, 64 * 1024, MaxMessage })
            {
                data.Add(protection, size);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ProtectionsAndSizes))]
    public async Task A_message_round_trips_through_echo(string protection, int size)
    {
        await using TestServer server = await TestServer.StartAsync(realm, ("protection-level", protection));
        ProtectionLevel level = protection == "sign" ? ProtectionLevel.Sign : ProtectionLevel.EncryptAndSign;
        byte[] message = new byte[size];
        Random.Shared.NextBytes(message);

        await using AuthenticatedChannel channel = await ActorAuthClient.ConnectAsync("127.0.0.1", server.Port, RealmFixture.ServicePrincipal,
            new ActorAuthClientOptions { Credential = server.CredentialOf("alice"), ProtectionLevel = level });
        ReadOnlyMemory<byte> reply = await channel.RequestAsync(message);

        Assert.True(reply.Span.SequenceEqual(message), $"echo of {size} bytes came back as {reply.Length} different bytes");
    }

    [Theory]
    [InlineData("managed", "(managed RFC 4121)")]
    [InlineData("gssapi", "(the platform's library)")]
    public async Task A_session_is_protected_by_the_configured_engine_and_says_which(string engine, string logged)
    {
        await using TestServer server = await TestServer.StartAsync(realm, ("session:message-protection", engine));
        byte[] message = new byte[64 * 1024];
        Random.Shared.NextBytes(message);

        await using AuthenticatedChannel channel = await server.ConnectAsync();
        for (int i = 0; i < 3; i++)
        {
            Assert.True((await channel.RequestAsync(message)).Span.SequenceEqual(message), server.Log.ToString());
        }

        Assert.Contains(server.Log.Lines, l => l.Contains("session started", StringComparison.Ordinal) && l.Contains(logged, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_greeting_names_the_client_the_service_and_the_protection()
    {
        await using TestServer server = await TestServer.StartAsync(realm);

        await using AuthenticatedChannel channel = await server.ConnectAsync("bob");

        Greeting greeting = channel.Greeting;
        Assert.Equal("bob@ACTORAUTH.TEST", greeting.Client);
        Assert.Equal(RealmFixture.ServicePrincipal, greeting.Service);
        Assert.Equal("Kerberos", greeting.Package);
        Assert.Equal("encrypt", greeting.Protection);
        Assert.Equal("Identification", greeting.Impersonation);
        Assert.Equal(["echo", "whoami"], greeting.Operations);
    }

    [Fact]
    public async Task Whoami_replies_with_the_principal_the_service_authenticated()
    {
        await using TestServer server = await TestServer.StartAsync(realm);
        await using AuthenticatedChannel channel = await server.ConnectAsync("bob");

        ReadOnlyMemory<byte> reply = await channel.RequestAsync(Array.Empty<byte>(), "whoami");

        Assert.Equal("bob@ACTORAUTH.TEST", Encoding.UTF8.GetString(reply.Span));
    }

    [Fact]
    public async Task A_flipped_bit_in_a_captured_frame_ends_that_session_only()
    {
        await using TestServer server = await TestServer.StartAsync(realm);
        await using AuthenticatedChannel bystander = await server.ConnectAsync("bob");
        (ManualClient client, _) = await ManualClient.ConnectAsync(server);
        using (client)
        {
            byte[] frame = client.Protect("echo", "transfer 10 EUR"u8.ToArray());
            frame[^5] ^= 0x01;

            Assert.Null(await client.ExchangeAsync(frame));
        }

        Assert.Contains(server.Log.Lines, l => l.Contains("closed in session: message-altered", StringComparison.Ordinal));
        Assert.Equal("still here", Encoding.UTF8.GetString((await bystander.RequestAsync("still here"u8.ToArray())).Span));
    }

    [Fact]
    public async Task A_resent_captured_frame_is_refused_as_a_replay()
    {
        await using TestServer server = await TestServer.StartAsync(realm);
        (ManualClient client, _) = await ManualClient.ConnectAsync(server);
        using (client)
        {
            byte[] frame = client.Protect("echo", "pay once"u8.ToArray());
            Assert.Equal(ReplyStatus.Ok, (await client.ExchangeAsync(frame))?.Status);

            Assert.Null(await client.ExchangeAsync(frame));
        }

        Assert.Contains(server.Log.Lines, l => l.Contains("closed in session: out-of-sequence", StringComparison.Ordinal) && l.Contains("replay", StringComparison.Ordinal));
        Assert.Equal(1, server.Metrics.HandshakesSucceeded);
    }

    [Fact]
    public async Task Two_swapped_frames_are_refused()
    {
        await using TestServer server = await TestServer.StartAsync(realm);
        (ManualClient client, _) = await ManualClient.ConnectAsync(server);
        using (client)
        {
            byte[] first = client.Protect("echo", "1"u8.ToArray());
            byte[] second = client.Protect("echo", "2"u8.ToArray());
            byte[] third = client.Protect("echo", "3"u8.ToArray());
            Assert.Equal(ReplyStatus.Ok, (await client.ExchangeAsync(first))?.Status);

            Assert.Null(await client.ExchangeAsync(third));
            Assert.Null(await client.ExchangeAsync(second));
        }

        Assert.Contains(server.Log.Lines, l => l.Contains("closed in session: out-of-sequence", StringComparison.Ordinal) && l.Contains("missing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_data_frame_over_the_maximum_is_refused_before_it_is_read_whole()
    {
        await using TestServer server = await TestServer.StartAsync(realm, ("session:max-message", "4KiB"));
        (ManualClient client, _) = await ManualClient.ConnectAsync(server);
        using (client)
        {
            await client.Raw.SendAsync([0x00, 0x00, 0x10, 0x00]); // declares 1 MiB; no body follows

            await client.Raw.ReadUntilClosedAsync(TimeSpan.FromSeconds(10));
        }

        Assert.Contains(server.Log.Lines, l => l.Contains("closed in session: frame-too-large", StringComparison.Ordinal) && l.Contains("1048576", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_signed_only_client_is_refused_by_an_encrypting_listener_with_a_clear_reason()
    {
        await using TestServer server = await TestServer.StartAsync(realm, ("protection-level", "encrypt"));
        var options = new ActorAuthClientOptions { Credential = server.CredentialOf("alice"), ProtectionLevel = ProtectionLevel.Sign };

        // MIT offers confidentiality on every Kerberos context, so the handshake qualifies; the client's
        // signed-only request is what the listener refuses, with a reason, before closing.
        await using AuthenticatedChannel channel = await ActorAuthClient.ConnectAsync("127.0.0.1", server.Port, RealmFixture.ServicePrincipal, options);
        var e = await Assert.ThrowsAsync<ActorAuthClientException>(() => channel.RequestAsync("plain"u8.ToArray()));

        Assert.Equal(ClientFailure.AccessDenied, e.Failure);
        Assert.Contains("requires encrypted", e.Message, StringComparison.Ordinal);
        Assert.True(await TestServer.EventuallyAsync(() => server.Log.Lines.Any(l => l.Contains("protection-requirements-not-met", StringComparison.Ordinal))), server.Log.ToString());
    }

    [Fact]
    public async Task No_security_context_outlives_its_connection()
    {
        await using TestServer server = await TestServer.StartAsync(realm);
        for (int i = 0; i < 10; i++)
        {
            await using AuthenticatedChannel channel = await server.ConnectAsync();
            await channel.RequestAsync(new byte[100]);
        }

        Assert.True(await TestServer.EventuallyAsync(() => server.Metrics.LiveContexts == 0 && server.Metrics.LiveSessions == 0),
            $"contexts {server.Metrics.LiveContexts}, sessions {server.Metrics.LiveSessions}\n{server.Log}");
    }
}
