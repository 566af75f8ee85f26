using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using ActorAuth.Security.Kerberos;

namespace ActorAuth.Security.Tests;

/// <summary>What the managed engine refuses, and with which status: altered, truncated, reflected, foreign and hostile tokens.</summary>
public sealed class Rfc4121RefusalTests
{
    private static readonly byte[] Message = Encoding.ASCII.GetBytes("message");

    public static TheoryData<int, bool> EnctypeAndProtection()
    {
        var cases = new TheoryData<int, bool>();
        foreach (int enctype in new[] { 17, 18, 19, 20 })
        {
            cases.Add(enctype, true);
            cases.Add(enctype, false);
        }

        return cases;
    }

    public static TheoryData<int> AllEnctypes() => new(17, 18, 19, 20);

    [Theory]
    [MemberData(nameof(EnctypeAndProtection))]
    public void Wrap_token_with_any_byte_flipped_is_refused(int enctype, bool encrypt)
    {
        using var pair = new Rfc4121Pair(enctype, acceptorSubkey: true);
        byte[] token = Rfc4121Pair.Wrap(pair.Initiator, Message, encrypt);
        for (int i = 0; i < token.Length; i++)
        {
            for (int bit = 0; bit < 8; bit++)
            {
                byte[] altered = token.ToArray();
                altered[i] ^= (byte)(1 << bit);

                Assert.True(Rfc4121Pair.Unwrap(pair.Acceptor, altered).Status.IsError, $"byte {i} bit {bit}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllEnctypes))]
    public void MIC_with_any_byte_flipped_is_refused(int enctype)
    {
        using var pair = new Rfc4121Pair(enctype, acceptorSubkey: true);
        byte[] mic = Rfc4121Pair.GetMic(pair.Initiator, Message);
        for (int i = 0; i < mic.Length; i++)
        {
            byte[] altered = mic.ToArray();
            altered[i] ^= 0x80;

            Assert.True(pair.Acceptor.VerifyMic(Message, altered).IsError, $"byte {i}");
        }
    }

    [Theory]
    [MemberData(nameof(EnctypeAndProtection))]
    public void Altered_wrap_token_body_is_MessageAltered(int enctype, bool encrypt)
    {
        using var pair = new Rfc4121Pair(enctype, acceptorSubkey: false);
        byte[] token = Rfc4121Pair.Wrap(pair.Initiator, Message, encrypt);
        token[^1] ^= 0x01;

        Assert.Equal(SecurityStatusCode.MessageAltered, Rfc4121Pair.Unwrap(pair.Acceptor, token).Status.Code);
    }

    [Theory]
    [MemberData(nameof(AllEnctypes))]
    public void MIC_over_other_bytes_is_MessageAltered(int enctype)
    {
        using var pair = new Rfc4121Pair(enctype, acceptorSubkey: false);

        Assert.Equal(SecurityStatusCode.MessageAltered, pair.Acceptor.VerifyMic("massage"u8, Rfc4121Pair.GetMic(pair.Initiator, Message)).Code);
    }

    [Theory]
    [MemberData(nameof(EnctypeAndProtection))]
    public void Every_truncation_of_a_wrap_token_is_refused(int enctype, bool encrypt)
    {
        using var pair = new Rfc4121Pair(enctype, acceptorSubkey: false);
        byte[] token = Rfc4121Pair.Wrap(pair.Initiator, Message, encrypt);
        for (int length = 0; length < token.Length; length++)
        {
            Assert.True(Rfc4121Pair.Unwrap(pair.Acceptor, token.AsSpan(0, length)).Status.IsError, $"length {length}");
        }
    }

    [Theory]
    [MemberData(nameof(AllEnctypes))]
    public void Every_truncation_of_a_MIC_is_refused(int enctype)
    {
        using var pair = new Rfc4121Pair(enctype, acceptorSubkey: false);
        byte[] mic = Rfc4121Pair.GetMic(pair.Initiator, Message);
        for (int length = 0; length < mic.Length; length++)
        {
            Assert.True(pair.Acceptor.VerifyMic(Message, mic.AsSpan(0, length)).IsError, $"length {length}");
        }
    }

    [Theory]
    [MemberData(nameof(EnctypeAndProtection))]
    public void Own_wrap_token_reflected_back_is_MessageAltered(int enctype, bool encrypt)
    {
        using var pair = new Rfc4121Pair(enctype, acceptorSubkey: true);

        Assert.Equal(SecurityStatusCode.MessageAltered, Rfc4121Pair.Unwrap(pair.Acceptor, Rfc4121Pair.Wrap(pair.Acceptor, Message, encrypt)).Status.Code);
        Assert.Equal(SecurityStatusCode.MessageAltered, Rfc4121Pair.Unwrap(pair.Initiator, Rfc4121Pair.Wrap(pair.Initiator, Message, encrypt)).Status.Code);
    }

    [Theory]
    [MemberData(nameof(AllEnctypes))]
    public void Own_MIC_reflected_back_is_MessageAltered(int enctype)
    {
        using var pair = new Rfc4121Pair(enctype, acceptorSubkey: true);

        Assert.Equal(SecurityStatusCode.MessageAltered, pair.Acceptor.VerifyMic(Message, Rfc4121Pair.GetMic(pair.Acceptor, Message)).Code);
        Assert.Equal(SecurityStatusCode.MessageAltered, pair.Initiator.VerifyMic(Message, Rfc4121Pair.GetMic(pair.Initiator, Message)).Code);
    }

    [Theory]
    [MemberData(nameof(AllEnctypes))]
    public void Sign_only_token_whose_EC_is_not_the_checksum_length_is_InvalidToken(int enctype)
    {
        using var pair = new Rfc4121Pair(enctype, acceptorSubkey: false);
        byte[] token = Rfc4121Pair.Wrap(pair.Initiator, Message, encrypt: false);
        BinaryPrimitives.WriteUInt16BigEndian(token.AsSpan(4), 0xFFFF);

        Assert.Equal(SecurityStatusCode.InvalidToken, Rfc4121Pair.Unwrap(pair.Acceptor, token).Status.Code);
    }

    [Fact]
    public void RFC_1964_token_is_Unsupported()
    {
        using var pair = new Rfc4121Pair(18, acceptorSubkey: false);
        byte[] token = Convert.FromHexString("603F06092A864886F71201020202010400020" + "0FFFF" + new string('0', 100));

        Assert.Equal(SecurityStatusCode.Unsupported, Rfc4121Pair.Unwrap(pair.Acceptor, token).Status.Code);
        Assert.Equal(SecurityStatusCode.Unsupported, pair.Acceptor.VerifyMic(Message, token).Code);
    }

    [Fact]
    public void Wrap_token_given_as_a_MIC_is_Unsupported()
    {
        using var pair = new Rfc4121Pair(18, acceptorSubkey: false);

        Assert.Equal(SecurityStatusCode.Unsupported, pair.Acceptor.VerifyMic(Message, Rfc4121Pair.Wrap(pair.Initiator, Message, encrypt: false)).Code);
    }

    [Fact]
    public void Hostile_tokens_are_refused_without_throwing()
    {
        using var pair = new Rfc4121Pair(20, acceptorSubkey: true);
        var random = new Random(4121);
        var output = new ArrayBufferWriter<byte>();
        for (int i = 0; i < 20_000; i++)
        {
            byte[] token = new byte[random.Next(0, 120)];
            random.NextBytes(token);
            if (token.Length >= 4 && i % 2 == 0)
            {
                // Past the header checks, so the length arithmetic is what gets exercised.
                token[0] = 0x05;
                token[1] = 0x04;
                token[2] = (byte)((token[2] & ~Rfc4121Tokens.SentByAcceptor) | Rfc4121Tokens.AcceptorSubkey);
                token[3] = 0xFF;
            }

            Assert.True(pair.Acceptor.Unwrap(token, output, out _).IsError);
            Assert.True(pair.Acceptor.VerifyMic(token, token).IsError);
            Assert.Equal(0, output.WrittenCount);
        }
    }

    [Fact]
    public void With_an_acceptor_subkey_a_token_without_the_flag_is_checked_with_the_context_key()
    {
        // The initiator protected the token before it learnt of the acceptor's subkey (MIT accepts that).
        byte[] contextKey = RandomNumberGenerator.GetBytes(32);
        using IMessageProtection initiator = Rfc4121Pair.Create(Rfc4121Pair.Context(true, 0, 0, acceptorSubkey: false, 18, contextKey, 0, []));
        using IMessageProtection acceptor = Rfc4121Pair.Create(Rfc4121Pair.Context(false, 0, 0, acceptorSubkey: true, 18, contextKey, 20, RandomNumberGenerator.GetBytes(32)));

        Assert.Equal(SecurityStatus.Completed, Rfc4121Pair.Unwrap(acceptor, Rfc4121Pair.Wrap(initiator, Message, encrypt: true)).Status);
    }

    [Fact]
    public void Without_an_acceptor_subkey_the_flag_is_ignored()
    {
        // MIT may hand the initiator a copy of its own subkey as the "acceptor subkey": same key, flag set.
        byte[] key = RandomNumberGenerator.GetBytes(16);
        using IMessageProtection initiator = Rfc4121Pair.Create(Rfc4121Pair.Context(true, 0, 0, acceptorSubkey: true, 19, key, 19, key));
        using IMessageProtection acceptor = Rfc4121Pair.Create(Rfc4121Pair.Context(false, 0, 0, acceptorSubkey: false, 19, key, 0, []));

        Assert.Equal(SecurityStatus.Completed, Rfc4121Pair.Unwrap(acceptor, Rfc4121Pair.Wrap(initiator, Message, encrypt: true)).Status);
    }

    [Fact]
    public void Token_without_the_subkey_flag_is_Unsupported_when_the_context_key_enctype_is_not()
    {
        byte[] subkey = RandomNumberGenerator.GetBytes(32);
        using IMessageProtection initiator = Rfc4121Pair.Create(Rfc4121Pair.Context(true, 0, 0, acceptorSubkey: true, 18, subkey, 18, subkey));
        using IMessageProtection acceptor = Rfc4121Pair.Create(Rfc4121Pair.Context(false, 0, 0, acceptorSubkey: true, 23, new byte[16], 18, subkey));
        byte[] token = Rfc4121Pair.GetMic(initiator, Message);
        token[2] &= unchecked((byte)~Rfc4121Tokens.AcceptorSubkey);

        Assert.Equal(SecurityStatusCode.Unsupported, acceptor.VerifyMic(Message, token).Code);
    }
}
