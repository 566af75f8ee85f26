using System.Buffers;

namespace ActorAuth.Security.Tests;

/// <summary>MIC tokens (GSS_GetMIC/GSS_VerifyMIC), as MIT's gss-sample uses them: a reply that is the MIC of a message.</summary>
[Collection(RealmCollection.Name)]
public sealed class MicTests
{
    private static readonly SecurityProvider[] Providers = [SecurityProvider.GssApi, SecurityProvider.NegotiateAuthentication];

    public static TheoryData<SecurityProvider, SecurityProvider, int> ProviderPairs()
    {
        var cases = new TheoryData<SecurityProvider, SecurityProvider, int>();
        foreach (SecurityProvider server in Providers)
        {
            foreach (SecurityProvider client in Providers)
            {
                foreach (int size in new[] { 0, 1, 64 * 1024 })
                {
                    cases.Add(server, client, size);
                }
            }
        }

        return cases;
    }

    public static TheoryData<SecurityProvider> Receivers() => new(Providers);

    [Theory]
    [MemberData(nameof(ProviderPairs))]
    public void Mic_made_by_the_server_verifies_on_the_client(SecurityProvider serverProvider, SecurityProvider clientProvider, int size)
    {
        using Handshake handshake = Run(serverProvider, clientProvider);
        byte[] message = RandomBytes(size);

        SecurityStatus status = handshake.Client.VerifyMic(message, GetMic(handshake.Server, message));

        Assert.True(status.Code == SecurityStatusCode.Completed, status.ToString());
    }

    [Theory]
    [MemberData(nameof(ProviderPairs))]
    public void Mic_made_by_the_client_verifies_on_the_server(SecurityProvider serverProvider, SecurityProvider clientProvider, int size)
    {
        using Handshake handshake = Run(serverProvider, clientProvider);
        byte[] message = RandomBytes(size);

        SecurityStatus status = handshake.Server.VerifyMic(message, GetMic(handshake.Client, message));

        Assert.True(status.Code == SecurityStatusCode.Completed, status.ToString());
    }

    [Theory]
    [MemberData(nameof(Receivers))]
    public void Mic_over_different_bytes_is_MessageAltered(SecurityProvider receiver)
    {
        using Handshake handshake = Run(SecurityProvider.GssApi, receiver);
        byte[] mic = GetMic(handshake.Server, "the message"u8);

        SecurityStatus status = handshake.Client.VerifyMic("the massage"u8, mic);

        Assert.Equal(SecurityStatusCode.MessageAltered, status.Code);
    }

    [Theory]
    [MemberData(nameof(Receivers))]
    public void Mic_with_a_flipped_checksum_bit_is_MessageAltered(SecurityProvider receiver)
    {
        using Handshake handshake = Run(SecurityProvider.GssApi, receiver);
        byte[] mic = GetMic(handshake.Server, "the message"u8);
        mic[^1] ^= 0x01;

        SecurityStatus status = handshake.Client.VerifyMic("the message"u8, mic);

        Assert.Equal(SecurityStatusCode.MessageAltered, status.Code);
    }

    [Fact]
    public void Mic_with_a_changed_sequence_number_is_MessageAltered()
    {
        using Handshake handshake = Run(SecurityProvider.GssApi, SecurityProvider.GssApi, MessageProtection.GssApi);
        byte[] mic = GetMic(handshake.Server, "the message"u8);
        mic[15] ^= 0x01; // the header is under the checksum

        SecurityStatus status = handshake.Client.VerifyMic("the message"u8, mic);

        Assert.Equal(SecurityStatusCode.MessageAltered, status.Code);
        Assert.Contains("MIT:", status.Message);
    }

    [Fact]
    public void Mic_verified_twice_is_OutOfSequence_from_MIT_with_replay_detection_on()
    {
        using Handshake handshake = Run(SecurityProvider.GssApi, SecurityProvider.GssApi, MessageProtection.GssApi);
        byte[] mic = GetMic(handshake.Server, "once"u8);
        Assert.Equal(SecurityStatusCode.Completed, handshake.Client.VerifyMic("once"u8, mic).Code);

        SecurityStatus replay = handshake.Client.VerifyMic("once"u8, mic);

        // MIT verifies the checksum, then reports the replay as the supplementary GSS_S_DUPLICATE_TOKEN.
        Assert.Equal(SecurityStatusCode.OutOfSequence, replay.Code);
        Assert.Contains("replayed", replay.Message);
        Assert.Contains("MIT:", replay.Message);
    }

    [Fact]
    public void Mic_verified_twice_on_a_NegotiateAuthentication_context_is_OutOfSequence_from_the_context()
    {
        using Handshake handshake = Run(SecurityProvider.GssApi, SecurityProvider.NegotiateAuthentication);
        byte[] mic = GetMic(handshake.Server, "once"u8);
        Assert.Equal(SecurityStatusCode.Completed, handshake.Client.VerifyMic("once"u8, mic).Code);

        SecurityStatus replay = handshake.Client.VerifyMic("once"u8, mic);

        // .NET asks MIT for no replay detection, so MIT accepts the replay; the context's own sequence check refuses it.
        Assert.Equal(SecurityStatusCode.OutOfSequence, replay.Code);
        Assert.Contains("replay", replay.Message);
        Assert.DoesNotContain("MIT:", replay.Message);
    }

    [Theory]
    [MemberData(nameof(Receivers))]
    public void Mic_between_wrap_tokens_keeps_their_sequence(SecurityProvider receiver)
    {
        using Handshake handshake = Run(SecurityProvider.GssApi, receiver);
        byte[] greeting = Wrap(handshake.Server, "greeting"u8);
        byte[] mic = GetMic(handshake.Server, "request"u8);
        byte[] reply = Wrap(handshake.Server, "reply"u8);

        Assert.Equal(SecurityStatusCode.Completed, handshake.Client.Unwrap(greeting, new ArrayBufferWriter<byte>(), out _).Code);
        Assert.Equal(SecurityStatusCode.Completed, handshake.Client.VerifyMic("request"u8, mic).Code);
        SecurityStatus status = handshake.Client.Unwrap(reply, new ArrayBufferWriter<byte>(), out _);

        Assert.True(status.Code == SecurityStatusCode.Completed, status.ToString());
    }

    [Fact]
    public void Mic_skipped_before_a_wrap_token_leaves_a_gap()
    {
        using Handshake handshake = Run(SecurityProvider.GssApi, SecurityProvider.NegotiateAuthentication);
        Assert.Equal(SecurityStatusCode.Completed, handshake.Client.Unwrap(Wrap(handshake.Server, "greeting"u8), new ArrayBufferWriter<byte>(), out _).Code);
        _ = GetMic(handshake.Server, "never delivered"u8);

        SecurityStatus status = handshake.Client.Unwrap(Wrap(handshake.Server, "reply"u8), new ArrayBufferWriter<byte>(), out _);

        Assert.Equal(SecurityStatusCode.OutOfSequence, status.Code);
        Assert.Contains("missing", status.Message);
    }

    [Fact]
    public void VerifyMic_of_bytes_that_are_not_a_MIC_token_is_Unsupported()
    {
        using Handshake handshake = Run(SecurityProvider.GssApi, SecurityProvider.GssApi);

        SecurityStatus status = handshake.Client.VerifyMic("message"u8, Wrap(handshake.Server, "message"u8));

        Assert.Equal(SecurityStatusCode.Unsupported, status.Code);
    }

    private static Handshake Run(SecurityProvider server, SecurityProvider client, MessageProtection protection = MessageProtection.Managed)
    {
        Handshake handshake = Handshake.Run(server, client, SecurityPackages.Kerberos, serverProtection: protection, clientProtection: protection);
        handshake.AssertCompleted();
        return handshake;
    }

    private static byte[] RandomBytes(int size)
    {
        byte[] bytes = new byte[size];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    private static byte[] GetMic(SecurityContext context, ReadOnlySpan<byte> message)
    {
        var mic = new ArrayBufferWriter<byte>();
        Assert.Equal(SecurityStatusCode.Completed, context.GetMic(message, mic).Code);
        return mic.WrittenSpan.ToArray();
    }

    private static byte[] Wrap(SecurityContext context, ReadOnlySpan<byte> message)
    {
        var token = new ArrayBufferWriter<byte>();
        Assert.Equal(SecurityStatusCode.Completed, context.Wrap(message, encrypt: true, token).Code);
        return token.WrittenSpan.ToArray();
    }
}
