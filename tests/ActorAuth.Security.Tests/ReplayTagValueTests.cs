using System.Security.Cryptography;
using ActorAuth.Security.Kerberos;

namespace ActorAuth.Security.Tests;

/// <summary>The replay tag as a value, and the reader on tokens that carry no AP-REQ or are hostile: no KDC needed.</summary>
public sealed class ReplayTagValueTests
{
    [Fact]
    public void The_tag_is_the_first_16_bytes_of_SHA_256_over_the_authenticator_cipher()
    {
        // Pinned: nodes of different versions share one cache and must compute the same key.
        byte[] cipher = [.. Enumerable.Range(0, 200).Select(i => (byte)(i * 7))];

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(cipher).AsSpan(0, 16)), ReplayTag.Of(cipher).ToString());
    }

    [Fact]
    public void A_tag_written_then_read_is_equal_and_hashes_alike()
    {
        ReplayTag tag = ReplayTag.Of("an authenticator"u8);
        var bytes = new byte[ReplayTag.Size + 3];

        tag.WriteTo(bytes.AsSpan(3));
        ReplayTag read = ReplayTag.Read(bytes.AsSpan(3));

        Assert.True(read == tag && read.Equals((object)tag));
        Assert.Equal(tag.GetHashCode(), read.GetHashCode());
        Assert.Equal(Convert.ToHexStringLower(bytes.AsSpan(3)), tag.ToString());
        Assert.Equal(new ReplayTag(tag.High, tag.Low), tag);
    }

    [Fact]
    public void Tags_of_ciphers_one_bit_apart_differ()
    {
        byte[] cipher = new byte[64];
        ReplayTag tag = ReplayTag.Of(cipher);
        cipher[63] ^= 1;

        Assert.True(ReplayTag.Of(cipher) != tag);
    }

    [Fact]
    public void NTLM_bare_and_in_a_NegTokenInit_carries_no_AP_REQ()
    {
        Assert.Equal(ApReqStatus.NoApReq, ApReqReader.TryRead(ApReqTokens.NtlmNegotiate, out _));
        Assert.Equal(ApReqStatus.NoApReq, ApReqReader.TryRead(ApReqTokens.NegTokenInit(ApReqTokens.NtlmNegotiate, ApReqTokens.NtlmOid), out _));
        Assert.Equal(ApReqStatus.NoApReq, ApReqReader.TryRead(ApReqTokens.NegTokenResp(ApReqTokens.NtlmNegotiate), out _));
    }

    [Fact]
    public void SPNEGO_without_a_mechanism_token_carries_no_AP_REQ()
    {
        Assert.Equal(ApReqStatus.NoApReq, ApReqReader.TryRead(ApReqTokens.NegTokenInit(null), out _));
        Assert.Equal(ApReqStatus.NoApReq, ApReqReader.TryRead(ApReqTokens.NegTokenResp(null), out _));
        Assert.Equal(ApReqStatus.NoApReq, ApReqReader.TryRead([], out _));
    }

    [Fact]
    public void Another_mechanisms_token_and_a_Kerberos_token_of_another_type_carry_no_AP_REQ()
    {
        Assert.Equal(ApReqStatus.NoApReq, ApReqReader.TryRead(ApReqTokens.Gss(ApReqTokens.NtlmOid, [1, 2, 3]), out _));
        Assert.Equal(ApReqStatus.NoApReq, ApReqReader.TryRead(ApReqTokens.Gss(ApReqTokens.KerberosOid, [0x6F, 0x00], tokenId: 0x0200), out _));
    }

    [Fact]
    public void A_NegTokenInit_field_after_the_mechToken_that_DER_forbids_makes_it_malformed()
    {
        Assert.Equal(ApReqStatus.NoApReq, ApReqReader.TryRead(ApReqTokens.NegTokenInit(ApReqTokens.NtlmNegotiate, after: [0xA3, 0x02, 0x04, 0x00]), out _));

        Assert.Equal(ApReqStatus.Malformed, ApReqReader.TryRead(ApReqTokens.NegTokenInit(ApReqTokens.NtlmNegotiate, after: [0x02, 0x01, 0x00]), out _));
        Assert.Equal(ApReqStatus.Malformed, ApReqReader.TryRead(ApReqTokens.NegTokenInit(ApReqTokens.NtlmNegotiate, after: [0xA1, 0x02, 0x03, 0x00]), out _));
    }

    [Fact]
    public void SPNEGO_inside_SPNEGO_is_malformed() =>
        Assert.Equal(ApReqStatus.Malformed, ApReqReader.TryRead(ApReqTokens.NegTokenInit(ApReqTokens.NegTokenInit(null)), out _));

    [Fact]
    public void Random_bytes_are_never_read_as_an_AP_REQ()
    {
        var rng = new Random(20261201);
        for (int i = 0; i < 2000; i++)
        {
            byte[] bytes = new byte[rng.Next(1, 300)];
            rng.NextBytes(bytes);
            bytes[0] = (byte)((i % 4) switch { 0 => 0x60, 1 => 0x6E, 2 => 0xA1, _ => bytes[0] });

            Assert.True(ApReqReader.TryRead(bytes, out _) != ApReqStatus.Found, Convert.ToHexStringLower(bytes));
        }
    }

    [Theory]
    [InlineData("6084ffffffff06062b0601050502")]                 // GSS framing claiming 4 GiB
    [InlineData("6e847fffffff3000")]                             // AP-REQ claiming 2 GiB
    [InlineData("a188ffffffffffffffff30")]                       // NegTokenResp with an 8-byte length
    [InlineData("60808000")]                                     // indefinite length: BER, not DER
    [InlineData("a10a3008a20604840fffffff")]                   // responseToken OCTET STRING claiming 256 MiB
    public void An_absurd_declared_length_is_malformed_without_allocating(string hex)
    {
        byte[] token = Convert.FromHexString(hex);
        ApReqReader.TryRead(token, out _);

        long before = GC.GetAllocatedBytesForCurrentThread();
        ApReqStatus status = ApReqReader.TryRead(token, out _);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(ApReqStatus.Malformed, status);
        Assert.Equal(0, allocated);
    }
}
