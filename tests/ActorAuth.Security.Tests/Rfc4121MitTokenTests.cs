using System.Buffers.Binary;
using System.Text;
using ActorAuth.Security.Kerberos;

namespace ActorAuth.Security.Tests;

/// <summary>
/// Tokens MIT krb5 made, from its t_invalid.c: an AES-128 key "1234567887654321" as the initiator's context
/// key, no acceptor subkey, SND_SEQ 0, message "message". The MIC and the sign-only wrap token are
/// deterministic, so the managed initiator must produce them byte for byte; the acceptor must take all three
/// and refuse each with any one byte incremented. The malformed sealed tokens are built as t_invalid.c builds them.
/// </summary>
public sealed class Rfc4121MitTokenTests
{
    private static readonly byte[] Key = Encoding.ASCII.GetBytes("1234567887654321");
    private static readonly byte[] Message = Encoding.ASCII.GetBytes("message");
    private static readonly byte[] MitMic = Convert.FromHexString("040400FFFFFFFFFF000000000000000097E9633F9D822B7467948AD0");
    private static readonly byte[] MitSignedWrap = Convert.FromHexString("050400FF000C000000000000000000006D657373616765DF57B95EA2B17331DBCE6162");
    private static readonly byte[] MitSealedWrap = Convert.FromHexString(
        "050402FF000000000000000000000000" + "72BBD7CFDEB0F920E29A98A7A4E7C99B30D3FE61512E1B5688B78AF5A9BF8F82B1EBCC88E63313BF524BC03B243F3EF5F1E064");

    public static TheoryData<byte[]> MitWrapTokens() => new(MitSignedWrap, MitSealedWrap);

    [Fact]
    public void Initiator_MIC_is_MIT_s_byte_for_byte()
    {
        using IMessageProtection initiator = Engine(isInitiator: true);

        Assert.Equal(Convert.ToHexString(MitMic), Convert.ToHexString(Rfc4121Pair.GetMic(initiator, Message)));
    }

    [Fact]
    public void Initiator_sign_only_wrap_token_is_MIT_s_byte_for_byte()
    {
        using IMessageProtection initiator = Engine(isInitiator: true);

        Assert.Equal(Convert.ToHexString(MitSignedWrap), Convert.ToHexString(Rfc4121Pair.Wrap(initiator, Message, encrypt: false)));
    }

    [Fact]
    public void Acceptor_verifies_MIT_s_MIC()
    {
        using IMessageProtection acceptor = Engine(isInitiator: false);

        Assert.Equal(SecurityStatus.Completed, acceptor.VerifyMic(Message, MitMic));
    }

    [Theory]
    [MemberData(nameof(MitWrapTokens))]
    public void Acceptor_unwraps_MIT_s_wrap_token(byte[] token)
    {
        using IMessageProtection acceptor = Engine(isInitiator: false);

        (SecurityStatus status, byte[] message, bool wasEncrypted) = Rfc4121Pair.Unwrap(acceptor, token);

        Assert.Equal(SecurityStatus.Completed, status);
        Assert.Equal(Message, message);
        Assert.Equal((token[2] & 0x02) != 0, wasEncrypted);
    }

    [Theory]
    [MemberData(nameof(MitWrapTokens))]
    public void Acceptor_refuses_MIT_s_wrap_token_with_any_byte_incremented(byte[] token)
    {
        using IMessageProtection acceptor = Engine(isInitiator: false);
        for (int i = 0; i < token.Length; i++)
        {
            byte[] altered = token.ToArray();
            altered[i]++;

            Assert.True(Rfc4121Pair.Unwrap(acceptor, altered).Status.IsError, $"byte {i}");
        }
    }

    [Fact]
    public void Acceptor_refuses_MIT_s_MIC_with_any_byte_incremented()
    {
        using IMessageProtection acceptor = Engine(isInitiator: false);
        for (int i = 0; i < MitMic.Length; i++)
        {
            byte[] altered = MitMic.ToArray();
            altered[i]++;

            Assert.True(acceptor.VerifyMic(Message, altered).IsError, $"byte {i}");
        }
    }

    [Fact]
    public void Sealed_token_whose_EC_differs_from_its_sealed_copy_is_refused()
    {
        // The header says EC 3 (the message would lose its last three bytes); the sealed copy says 0.
        byte[] header = Header(extraCount: 3);
        byte[] copy = header.ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(4), 0);
        byte[] token = Seal(header, [.. "truncate"u8, .. copy]);
        using IMessageProtection acceptor = Engine(isInitiator: false);

        Assert.True(Rfc4121Pair.Unwrap(acceptor, token).Status.IsError);
    }

    [Fact]
    public void Sealed_token_too_short_for_a_header_copy_is_InvalidToken()
    {
        byte[] token = Seal(Header(extraCount: 0), [0]);
        using IMessageProtection acceptor = Engine(isInitiator: false);

        Assert.Equal(SecurityStatusCode.InvalidToken, Rfc4121Pair.Unwrap(acceptor, token).Status.Code);
    }

    [Fact]
    public void Sealed_token_whose_EC_exceeds_its_plaintext_is_InvalidToken()
    {
        byte[] header = Header(extraCount: 5);
        byte[] token = Seal(header, [.. "abcd"u8, .. header]);
        using IMessageProtection acceptor = Engine(isInitiator: false);

        Assert.Equal(SecurityStatusCode.InvalidToken, Rfc4121Pair.Unwrap(acceptor, token).Status.Code);
    }

    private static IMessageProtection Engine(bool isInitiator) =>
        Rfc4121Pair.Create(Rfc4121Pair.Context(isInitiator, 0, 0, acceptorSubkey: false, 17, Key, 0, []));

    private static byte[] Header(ushort extraCount)
    {
        var header = new byte[16];
        Rfc4121Tokens.WriteWrapHeader(header, Rfc4121Tokens.Sealed, extraCount, 0, 0);
        return header;
    }

    /// <summary>header | E(initiator seal usage, <paramref name="plaintext"/>) with a zero confounder, as krb5_k_encrypt would lay it out.</summary>
    private static byte[] Seal(byte[] header, byte[] plaintext)
    {
        using var cipher = new KerberosCipher(KerberosEnctype.Aes128CtsHmacSha196, Key, Rfc4121Tokens.InitiatorSeal);
        int length = KerberosEnctype.ConfounderLength + plaintext.Length;
        var buffer = new byte[AesCts.PaddedLength(length)];
        plaintext.CopyTo(buffer, KerberosEnctype.ConfounderLength);
        var mac = new byte[cipher.MacLength];
        cipher.Encrypt(buffer, length, mac);
        return [.. header, .. buffer.AsSpan(0, length), .. mac];
    }
}
