using System.Buffers.Binary;
using System.Security.Cryptography;
using ActorAuth.Security.Kerberos;

namespace ActorAuth.Security.Tests;

/// <summary>Wrap, unwrap, MIC and verify between a managed initiator and acceptor, and the layout of what they send.</summary>
public sealed class Rfc4121RoundTripTests
{
    private static readonly int[] Enctypes = [17, 18, 19, 20];
    private static readonly int[] Sizes = [0, 1, 15, 16, 17, 64 * 1024];

    public static TheoryData<int, bool, bool, int> WrapCases()
    {
        var cases = new TheoryData<int, bool, bool, int>();
        foreach (int enctype in Enctypes)
        {
            foreach (bool encrypt in new[] { true, false })
            {
                foreach (bool subkey in new[] { true, false })
                {
                    foreach (int size in Sizes)
                    {
                        cases.Add(enctype, encrypt, subkey, size);
                    }
                }
            }
        }

        return cases;
    }

    public static TheoryData<int, bool, int> MicCases()
    {
        var cases = new TheoryData<int, bool, int>();
        foreach (int enctype in Enctypes)
        {
            foreach (bool subkey in new[] { true, false })
            {
                foreach (int size in Sizes)
                {
                    cases.Add(enctype, subkey, size);
                }
            }
        }

        return cases;
    }

    public static TheoryData<int, bool> EnctypeAndProtection()
    {
        var cases = new TheoryData<int, bool>();
        foreach (int enctype in Enctypes)
        {
            cases.Add(enctype, true);
            cases.Add(enctype, false);
        }

        return cases;
    }

    public static TheoryData<int> AllEnctypes() => new(Enctypes);

    [Theory]
    [MemberData(nameof(WrapCases))]
    public void Initiator_wrap_token_unwraps_on_the_acceptor(int enctype, bool encrypt, bool subkey, int size)
    {
        using var pair = new Rfc4121Pair(enctype, subkey);
        byte[] message = RandomNumberGenerator.GetBytes(size);

        (SecurityStatus status, byte[] unwrapped, bool wasEncrypted) = Rfc4121Pair.Unwrap(pair.Acceptor, Rfc4121Pair.Wrap(pair.Initiator, message, encrypt));

        Assert.Equal(SecurityStatus.Completed, status);
        Assert.Equal(message, unwrapped);
        Assert.Equal(encrypt, wasEncrypted);
    }

    [Theory]
    [MemberData(nameof(WrapCases))]
    public void Acceptor_wrap_token_unwraps_on_the_initiator(int enctype, bool encrypt, bool subkey, int size)
    {
        using var pair = new Rfc4121Pair(enctype, subkey);
        byte[] message = RandomNumberGenerator.GetBytes(size);

        (SecurityStatus status, byte[] unwrapped, bool wasEncrypted) = Rfc4121Pair.Unwrap(pair.Initiator, Rfc4121Pair.Wrap(pair.Acceptor, message, encrypt));

        Assert.Equal(SecurityStatus.Completed, status);
        Assert.Equal(message, unwrapped);
        Assert.Equal(encrypt, wasEncrypted);
    }

    [Theory]
    [MemberData(nameof(MicCases))]
    public void Initiator_MIC_verifies_on_the_acceptor(int enctype, bool subkey, int size)
    {
        using var pair = new Rfc4121Pair(enctype, subkey);
        byte[] message = RandomNumberGenerator.GetBytes(size);

        Assert.Equal(SecurityStatus.Completed, pair.Acceptor.VerifyMic(message, Rfc4121Pair.GetMic(pair.Initiator, message)));
    }

    [Theory]
    [MemberData(nameof(MicCases))]
    public void Acceptor_MIC_verifies_on_the_initiator(int enctype, bool subkey, int size)
    {
        using var pair = new Rfc4121Pair(enctype, subkey);
        byte[] message = RandomNumberGenerator.GetBytes(size);

        Assert.Equal(SecurityStatus.Completed, pair.Initiator.VerifyMic(message, Rfc4121Pair.GetMic(pair.Acceptor, message)));
    }

    [Theory]
    [MemberData(nameof(EnctypeAndProtection))]
    public void Rotated_wrap_token_unwraps_whatever_its_RRC(int enctype, bool encrypt)
    {
        using var pair = new Rfc4121Pair(enctype, acceptorSubkey: true);
        byte[] message = RandomNumberGenerator.GetBytes(37);
        byte[] token = Rfc4121Pair.Wrap(pair.Acceptor, message, encrypt);
        int bodyLength = token.Length - 16;

        foreach (int rrc in new[] { 1, 16, 28, 40, bodyLength - 1, bodyLength, bodyLength + 5, 0xFFFF })
        {
            (SecurityStatus status, byte[] unwrapped, _) = Rfc4121Pair.Unwrap(pair.Initiator, Rfc4121Pair.Rotate(token, rrc));

            Assert.True(status == SecurityStatus.Completed, $"RRC {rrc}: {status}");
            Assert.Equal(message, unwrapped);
        }
    }

    [Theory]
    [MemberData(nameof(AllEnctypes))]
    public void Wrap_and_MIC_tokens_are_numbered_from_one_counter_starting_at_the_send_sequence(int enctype)
    {
        using var pair = new Rfc4121Pair(enctype, acceptorSubkey: false, initiatorSequence: 41);

        byte[] first = Rfc4121Pair.Wrap(pair.Initiator, [1], encrypt: true);
        byte[] second = Rfc4121Pair.GetMic(pair.Initiator, [2]);
        byte[] third = Rfc4121Pair.Wrap(pair.Initiator, [3], encrypt: false);

        Assert.Equal(new ulong[] { 41, 42, 43 }, new[] { first, second, third }.Select(t => BinaryPrimitives.ReadUInt64BigEndian(t.AsSpan(8))));
    }

    [Theory]
    [MemberData(nameof(EnctypeAndProtection))]
    public void Wrap_token_header_has_the_sender_s_flags_EC_and_RRC_as_MIT_sends_them(int enctype, bool encrypt)
    {
        using var pair = new Rfc4121Pair(enctype, acceptorSubkey: true);
        int checksumLength = KerberosEnctype.Find(enctype)!.ChecksumLength;

        byte[] token = Rfc4121Pair.Wrap(pair.Acceptor, [1, 2, 3], encrypt);

        byte flags = (byte)(Rfc4121Tokens.SentByAcceptor | Rfc4121Tokens.AcceptorSubkey | (encrypt ? Rfc4121Tokens.Sealed : 0));
        int extraCount = encrypt ? 0 : checksumLength;
        Assert.Equal($"0504{flags:X2}FF{extraCount:X4}0000", Convert.ToHexString(token.AsSpan(0, 8)));
    }

    [Theory]
    [MemberData(nameof(AllEnctypes))]
    public void Sealed_token_is_the_encryption_of_confounder_message_and_header_copy_then_the_MAC(int enctype)
    {
        using var pair = new Rfc4121Pair(enctype, acceptorSubkey: false);
        byte[] message = RandomNumberGenerator.GetBytes(21);
        byte[] token = Rfc4121Pair.Wrap(pair.Initiator, message, encrypt: true);
        using var cipher = new KerberosCipher(KerberosEnctype.Find(enctype)!, pair.ContextKey, Rfc4121Tokens.InitiatorSeal);
        int length = token.Length - 16 - cipher.MacLength;
        var buffer = new byte[AesCts.PaddedLength(length)];
        token.AsSpan(16, length).CopyTo(buffer);

        Assert.True(cipher.Decrypt(buffer, length, token.AsSpan(16 + length)));
        Assert.Equal([.. message, .. token.AsSpan(0, 16)], buffer.AsSpan(16, length - 16).ToArray());
    }

    [Theory]
    [MemberData(nameof(AllEnctypes))]
    public void Sign_only_token_is_header_message_and_the_seal_usage_checksum_of_message_then_header(int enctype)
    {
        using var pair = new Rfc4121Pair(enctype, acceptorSubkey: true);
        byte[] message = RandomNumberGenerator.GetBytes(21);
        byte[] token = Rfc4121Pair.Wrap(pair.Acceptor, message, encrypt: false);
        byte[] header = token[..16];
        header.AsSpan(4, 4).Clear();

        byte[] checksum = Checksum(enctype, pair.Subkey, Rfc4121Tokens.AcceptorSeal, [.. message, .. header]);

        Assert.Equal([.. token[..16], .. message, .. checksum], token);
    }

    [Theory]
    [MemberData(nameof(AllEnctypes))]
    public void MIC_is_header_and_the_sign_usage_checksum_of_message_then_header(int enctype)
    {
        using var pair = new Rfc4121Pair(enctype, acceptorSubkey: true, acceptorSequence: 7);
        byte[] message = RandomNumberGenerator.GetBytes(21);
        byte[] mic = Rfc4121Pair.GetMic(pair.Acceptor, message);

        byte[] header = Convert.FromHexString("040405FFFFFFFFFF0000000000000007");
        byte[] checksum = Checksum(enctype, pair.Subkey, Rfc4121Tokens.AcceptorSign, [.. message, .. header]);

        Assert.Equal([.. header, .. checksum], mic);
    }

    /// <summary>The RFC 3961 checksum computed apart from the engine: HMAC with Kc, truncated.</summary>
    private static byte[] Checksum(int enctype, byte[] baseKey, int usage, byte[] data)
    {
        KerberosEnctype type = KerberosEnctype.Find(enctype)!;
        byte[] kc = KeyDerivation.Derive(type, baseKey, usage, KeyDerivation.Checksum);
        return CryptographicOperations.HmacData(type.Hash, kc, data)[..type.ChecksumLength];
    }
}
