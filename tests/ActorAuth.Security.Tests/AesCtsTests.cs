using System.Text;
using ActorAuth.Security.Kerberos;

namespace ActorAuth.Security.Tests;

/// <summary>AES-CTS as Kerberos uses it, against RFC 3962 Appendix B (AES-128, IV all zero).</summary>
public sealed class AesCtsTests
{
    private static readonly byte[] Key = Encoding.ASCII.GetBytes("chicken teriyaki");
    private static readonly byte[] Input = Encoding.ASCII.GetBytes("I would like the General Gau's Chicken, please, and wonton soup.");

    public static TheoryData<int, string> Rfc3962Vectors() => new()
    {
        { 17, "c6353568f2bf8cb4d8a580362da7ff7f97" },
        { 31, "fc00783e0efdb2c1d445d4c8eff7ed2297687268d6ecccc0c07b25e25ecfe5" },
        { 32, "39312523a78662d5be7fcbcc98ebf5a897687268d6ecccc0c07b25e25ecfe584" },
        { 47, "97687268d6ecccc0c07b25e25ecfe584b3fffd940c16a18c1b5549d2f838029e39312523a78662d5be7fcbcc98ebf5" },
        { 48, "97687268d6ecccc0c07b25e25ecfe5849dad8bbb96c4cdc03bc103e1a194bbd839312523a78662d5be7fcbcc98ebf5a8" },
        { 64, "97687268d6ecccc0c07b25e25ecfe58439312523a78662d5be7fcbcc98ebf5a84807efe836ee89a526730dbc2f7bc8409dad8bbb96c4cdc03bc103e1a194bbd8" },
    };

    [Theory]
    [MemberData(nameof(Rfc3962Vectors))]
    public void Encrypt_gives_the_RFC_3962_output(int length, string output)
    {
        var cts = new AesCts(Key);
        byte[] buffer = Buffer(Input.AsSpan(0, length));

        cts.Encrypt(buffer, length);

        Assert.Equal(output, Convert.ToHexStringLower(buffer.AsSpan(0, length)));
    }

    [Theory]
    [MemberData(nameof(Rfc3962Vectors))]
    public void Decrypt_gives_back_the_RFC_3962_input(int length, string output)
    {
        var cts = new AesCts(Key);
        byte[] buffer = Buffer(Convert.FromHexString(output));

        cts.Decrypt(buffer, length);

        Assert.Equal(Input.AsSpan(0, length), buffer.AsSpan(0, length));
    }

    [Fact]
    public void Every_encryption_starts_from_the_zero_IV()
    {
        var cts = new AesCts(Key);
        byte[] first = Buffer(Input.AsSpan(0, 47));
        byte[] second = Buffer(Input.AsSpan(0, 47));

        cts.Encrypt(first, 47);
        cts.Encrypt(second, 47);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Every_decryption_starts_from_the_zero_IV()
    {
        var cts = new AesCts(Key);
        byte[] ciphertext = Convert.FromHexString("97687268d6ecccc0c07b25e25ecfe584b3fffd940c16a18c1b5549d2f838029e39312523a78662d5be7fcbcc98ebf5");
        byte[] first = Buffer(ciphertext);
        byte[] second = Buffer(ciphertext);

        cts.Decrypt(first, 47);
        cts.Decrypt(second, 47);

        Assert.Equal(Input.AsSpan(0, 47), second.AsSpan(0, 47));
    }

    [Fact]
    public void One_block_is_plain_AES()
    {
        var cts = new AesCts(Key);
        byte[] buffer = Buffer(Input.AsSpan(0, 16));
        using var aes = System.Security.Cryptography.Aes.Create();
        aes.Key = Key;

        cts.Encrypt(buffer, 16);

        Assert.Equal(aes.EncryptEcb(Input.AsSpan(0, 16), System.Security.Cryptography.PaddingMode.None), buffer);
    }

    [Fact]
    public void Every_length_from_one_block_to_five_round_trips()
    {
        var cts = new AesCts(new byte[32]);
        for (int length = 16; length <= 80; length++)
        {
            byte[] plain = Enumerable.Range(0, length).Select(i => (byte)(i * 7)).ToArray();
            byte[] buffer = Buffer(plain);

            cts.Encrypt(buffer, length);
            cts.Decrypt(buffer, length);

            Assert.Equal(plain, buffer.AsSpan(0, length).ToArray());
        }
    }

    private static byte[] Buffer(ReadOnlySpan<byte> content)
    {
        var buffer = new byte[AesCts.PaddedLength(content.Length)];
        content.CopyTo(buffer);
        return buffer;
    }
}
