using System.Buffers;
using Xunit;

namespace ActorAuth.Security.Tests;

/// <summary>
/// <see cref="MessageProtection.Managed"/> on whole security contexts: after a GSSAPI handshake the messages are
/// protected in managed code (MIT's context gone), <see cref="MessageProtection.GssApi"/> keeps MIT's, and the two
/// interoperate; the sequence numbers MIT exported make even the first message's order checked.
/// </summary>
[Collection(RealmCollection.Name)]
public sealed class ManagedProtectionTests
{
    private static byte[] Wrap(SecurityContext context, ReadOnlySpan<byte> message)
    {
        var token = new ArrayBufferWriter<byte>();
        Assert.Equal(SecurityStatusCode.Completed, context.Wrap(message, encrypt: true, token).Code);
        return token.WrittenSpan.ToArray();
    }

    [Theory]
    [InlineData(MessageProtection.Managed, true)]
    [InlineData(MessageProtection.GssApi, false)]
    public void A_GSSAPI_context_protects_its_messages_as_configured(MessageProtection protection, bool managed)
    {
        using Handshake handshake = Handshake.Run(SecurityProvider.GssApi, SecurityProvider.GssApi, SecurityPackages.Negotiate,
            serverProtection: protection, clientProtection: protection);
        handshake.AssertCompleted();

        Assert.Equal(managed, handshake.Server.IsProtectionManaged);
        Assert.Equal(managed, handshake.Client.IsProtectionManaged);
    }

    [Theory]
    [InlineData(MessageProtection.Managed, MessageProtection.GssApi)]
    [InlineData(MessageProtection.GssApi, MessageProtection.Managed)]
    public void A_managed_side_and_an_MIT_side_exchange_messages_both_ways(MessageProtection server, MessageProtection client)
    {
        using Handshake handshake = Handshake.Run(SecurityProvider.GssApi, SecurityProvider.GssApi, SecurityPackages.Negotiate,
            serverProtection: server, clientProtection: client);
        handshake.AssertCompleted();

        for (int i = 0; i < 3; i++)
        {
            var atServer = new ArrayBufferWriter<byte>();
            Assert.Equal(SecurityStatusCode.Completed, handshake.Server.Unwrap(Wrap(handshake.Client, "ping"u8), atServer, out _).Code);
            var atClient = new ArrayBufferWriter<byte>();
            Assert.Equal(SecurityStatusCode.Completed, handshake.Client.Unwrap(Wrap(handshake.Server, "pong"u8), atClient, out _).Code);
            Assert.Equal("pong"u8.ToArray(), atClient.WrittenSpan.ToArray());
        }
    }

    [Fact]
    public void A_first_message_that_skips_one_is_refused_as_out_of_sequence()
    {
        using Handshake handshake = Handshake.Run(SecurityProvider.GssApi, SecurityProvider.GssApi, SecurityPackages.Kerberos);
        handshake.AssertCompleted();
        _ = Wrap(handshake.Client, "first"u8);
        byte[] second = Wrap(handshake.Client, "second"u8);

        SecurityStatus early = handshake.Server.Unwrap(second, new ArrayBufferWriter<byte>(), out _);

        Assert.Equal(SecurityStatusCode.OutOfSequence, early.Code);
    }

    [Fact]
    public void A_replayed_message_is_refused_as_out_of_sequence()
    {
        using Handshake handshake = Handshake.Run(SecurityProvider.GssApi, SecurityProvider.GssApi, SecurityPackages.Kerberos);
        handshake.AssertCompleted();
        byte[] once = Wrap(handshake.Client, "once"u8);
        Assert.Equal(SecurityStatusCode.Completed, handshake.Server.Unwrap(once, new ArrayBufferWriter<byte>(), out _).Code);

        Assert.Equal(SecurityStatusCode.OutOfSequence, handshake.Server.Unwrap(once, new ArrayBufferWriter<byte>(), out _).Code);
    }
}
