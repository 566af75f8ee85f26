using System.Security.Cryptography;
using ActorAuth.Security.Kerberos;
using Xunit;

namespace ActorAuth.Security.Tests;

/// <summary>The AES-NI rounds (<see cref="AesBlocks"/>) give exactly what .NET's AES (OpenSSL) gives, for both key sizes.</summary>
public sealed class AesBlocksTests
{
    [Fact]
    public void This_machine_runs_the_AES_instructions() => Assert.True(AesBlocks.IsAccelerated, "no AES-NI: the OpenSSL fallback is what runs");

    [Theory]
    [InlineData(16)]
    [InlineData(32)]
    public void CBC_from_a_zero_IV_matches_NET_AES_both_ways(int keyLength)
    {
        for (int round = 0; round < 50; round++)
        {
            byte[] key = RandomNumberGenerator.GetBytes(keyLength);
            byte[] plain = RandomNumberGenerator.GetBytes(16 * (1 + round % 7));
            using Aes reference = Aes.Create();
            reference.Key = key;
            byte[] expected = reference.EncryptCbc(plain, new byte[16], PaddingMode.None);

            byte[] data = plain.ToArray();
            AesBlocks.EncryptCbc(key, data);
            Assert.Equal(expected, data);

            AesBlocks.DecryptCbc(key, data);
            Assert.Equal(plain, data);
        }
    }

    [Theory]
    [InlineData(16)]
    [InlineData(32)]
    public void One_block_decrypts_as_NET_AES_ECB_does(int keyLength)
    {
        byte[] key = RandomNumberGenerator.GetBytes(keyLength);
        byte[] block = RandomNumberGenerator.GetBytes(16);
        using Aes reference = Aes.Create();
        reference.Key = key;
        byte[] expected = reference.DecryptEcb(block, PaddingMode.None);

        byte[] actual = new byte[16];
        AesBlocks.DecryptBlock(key, block, actual);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void The_FIPS_197_AES_256_example_vector_encrypts()
    {
        // FIPS 197 Appendix C.3.
        byte[] key = Convert.FromHexString("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        byte[] data = Convert.FromHexString("00112233445566778899aabbccddeeff");

        AesBlocks.EncryptCbc(key, data);

        Assert.Equal("8ea2b7ca516745bfeafc49904b496089", Convert.ToHexStringLower(data));
    }
}
