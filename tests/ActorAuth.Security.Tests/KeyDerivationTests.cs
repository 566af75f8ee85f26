using System.Text;
using ActorAuth.Security.Kerberos;

namespace ActorAuth.Security.Tests;

/// <summary>n-fold (RFC 3961 Appendix A.1) and the derivation of Kc, Ke and Ki (MIT's t_derive.c; RFC 8009 Appendix A).</summary>
public sealed class KeyDerivationTests
{
    public static TheoryData<string, int, string> NFoldVectors() => new()
    {
        { "012345", 64, "be072631276b1955" },
        { "password", 56, "78a07b6caf85fa" },
        { "Rough Consensus, and Running Code", 64, "bb6ed30870b7f0e0" },
        { "password", 168, "59e4a8ca7c0385c3c37b3f6d2000247cb6e6bd5b3e" },
        { "MASSACHVSETTS INSTITVTE OF TECHNOLOGY", 192, "db3b0d8f0b061e603282b308a50841229ad798fab9540c1b" },
        { "Q", 168, "518a54a215a8452a518a54a215a8452a518a54a215" },
        { "ba", 168, "fb25d531ae8974499f52fd92ea9857c4ba24cf297e" },
        { "kerberos", 64, "6b65726265726f73" },
        { "kerberos", 128, "6b65726265726f737b9b5b2b93132b93" },
        { "basch", 192, "1aab6b42964b98b21f8cde2d2448ba3455d7862c9731643f" },
        { "eichin", 192, "65696368696e4b732b4b1b43da1a5b995a58d2c6d0d2dcca" },
        { "sommerfeld", 192, "2f7a98557c6ee4abadf4e71192dd442bd4ff5325a5def75c" },
    };

    [Theory]
    [MemberData(nameof(NFoldVectors))]
    public void NFold_gives_the_RFC_3961_value(string input, int bits, string output)
    {
        var folded = new byte[bits / 8];

        KeyDerivation.NFold(Encoding.ASCII.GetBytes(input), folded);

        Assert.Equal(output, Convert.ToHexStringLower(folded));
    }

    public static TheoryData<int, string, byte, string> DerivationVectors() => new()
    {
        // MIT t_derive.c, usage 2 (RFC 3962 enctypes: DK).
        { 17, "42263C6E89F4FC28B8DF68EE09799F15", 0x99, "34280A382BC92769B2DA2F9EF066854B" },
        { 17, "42263C6E89F4FC28B8DF68EE09799F15", 0xAA, "5B14FC4E250E14DDF9DCCF1AF6674F53" },
        { 17, "42263C6E89F4FC28B8DF68EE09799F15", 0x55, "4ED31063621684F09AE8D89991AF3E8F" },
        { 18, "FE697B52BC0D3CE14432BA036A92E65BBB52280990A2FA27883998D72AF30161", 0x99, "BFAB388BDCB238E9F9C98D6A878304F04D30C82556375AC507A7A852790F4674" },
        { 18, "FE697B52BC0D3CE14432BA036A92E65BBB52280990A2FA27883998D72AF30161", 0xAA, "C7CFD9CD75FE793A586A542D87E0D1396F1134A104BB1A9190B8C90ADA3DDF37" },
        { 18, "FE697B52BC0D3CE14432BA036A92E65BBB52280990A2FA27883998D72AF30161", 0x55, "97151B4C76945063E2EB0529DC067D97D7BBA90776D8126D91F34F3101AEA8BA" },

        // RFC 8009 Appendix A, usage 2 (KDF-HMAC-SHA2).
        { 19, "3705D96080C17728A0E800EAB6E0D23C", 0x99, "B31A018A48F54776F403E9A396325DC3" },
        { 19, "3705D96080C17728A0E800EAB6E0D23C", 0xAA, "9B197DD1E8C5609D6E67C3E37C62C72E" },
        { 19, "3705D96080C17728A0E800EAB6E0D23C", 0x55, "9FDA0E56AB2D85E1569A688696C26A6C" },
        { 20, "6D404D37FAF79F9DF0D33568D320669800EB4836472EA8A026D16B7182460C52", 0x99, "EF5718BE86CC84963D8BBB5031E9F5C4BA41F28FAF69E73D" },
        { 20, "6D404D37FAF79F9DF0D33568D320669800EB4836472EA8A026D16B7182460C52", 0xAA, "56AB22BEE63D82D7BC5227F6773F8EA7A5EB1C825160C38312980C442E5C7E49" },
        { 20, "6D404D37FAF79F9DF0D33568D320669800EB4836472EA8A026D16B7182460C52", 0x55, "69B16514E3CD8E56B82010D5C73012B622C4D00FFC23ED1F" },
    };

    [Theory]
    [MemberData(nameof(DerivationVectors))]
    public void Derive_gives_the_published_key(int enctype, string baseKey, byte kind, string derived)
    {
        byte[] key = KeyDerivation.Derive(KerberosEnctype.Find(enctype)!, Convert.FromHexString(baseKey), 2, kind);

        Assert.Equal(derived, Convert.ToHexString(key));
    }
}
