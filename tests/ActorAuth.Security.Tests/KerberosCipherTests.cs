using System.Text;
using ActorAuth.Security.Kerberos;

namespace ActorAuth.Security.Tests;

/// <summary>
/// RFC 3961 encryption and checksums with a key usage, against known answers: MIT's t_decrypt.c (whose RFC 8009
/// entries are RFC 8009 Appendix A's sample encryptions) and t_cksums.c. A sample ciphertext starts with its
/// confounder encrypted, so decrypting it recovers the confounder the encryption side must be given.
/// </summary>
public sealed class KerberosCipherTests
{
    public static TheoryData<int, int, string, string, string> EncryptionVectors() => new()
    {
        { 17, 0, "5A5C0F0BA54F3828B2195E66CA24A289", "", "49FF8E11C173D9583A3254FBE7B1F1DF36C538E8416784A1672E6676" },
        { 17, 1, "98450E3F3BAA13F5C99BEB936981B06F", "31", "F86742F537B35DC2174A4DBAA920FAF9042090B065E1EBB1CAD9A65394" },
        { 17, 2, "9062430C8CDA3388922E6D6A509F5B7A", "392062797465737373", "68FB9679601F45C78857B2BF820FD6E53ECA8D42FD4B1D7024A09205ABB7CD2EC26C355D2F" },
        { 17, 3, "033EE6502C54FD23E27791E987983827", "31332062797465732062797465", "EC366D0327A933BF49330E650E49BC6B974637FE80BF532FE51795B4809718E6194724DB948D1FD637" },
        { 17, 4, "DCEEB70B3DE76562E689226C76429148", "333020627974657320627974657320627974657320627974657320627974", "C96081032D5D8EEB7E32B4089F789D0FAA481DEA74C0F97CBF3146DDFCF8E800156ECB532FC203E30FF600B63B350939FECE510F02D7FF1E7BAC" },
        { 18, 0, "17F275F2954F2ED1F90C377BA7F4D6A369AA0136E0BF0C927AD6133C693759A9", "", "E5094C55EE7B38262E2B044280B069379A95BF95BD8376FB3281B435" },
        { 18, 1, "B9477E1FF0329C0050E20CE6C72D2DFF27E8FE541AB0954429A9CB5B4F7B1E2A", "31", "406150B97AEB76D43B36B62CC1ECDFBE6F40E95755E0BEB5C27825F3A4" },
        { 18, 2, "B1AE4CD8462AFF1677053CC9279AAC30B796FB81CE21474DD3DDBCFEA4EC76D7", "392062797465737373", "09957AA25FCAF88F7B39E4406E633012D5FEA21853F6478DA7065CAEF41FD454A40824EEC5" },
        { 18, 3, "E5A72BE9B7926C1225BAFEF9C1872E7BA4CDB2B17893D84ABD90ACDD8764D966", "31332062797465732062797465", "D8F1AAFEEC84587CC3E700A774E56651A6D693E174EC4473B5E6D96F80297A653FB818AD893E719F96" },
        { 18, 4, "F1C795E9248A09338D82C3F8D5B567040B0110736845041347235B1404231398", "333020627974657320627974657320627974657320627974657320627974", "D1137A4D634CFECE924DBC3BF6790648BD5CFF7DE0E7B99460211D0DAEF3D79A295C688858F3B34B9CBD6EEBAE81DAF6B734D4D498B6714F1C1D" },
        { 19, 2, "3705D96080C17728A0E800EAB6E0D23C", "", "EF85FB890BB8472F4DAB20394DCA781DAD877EDA39D50C870C0D5A0A8E48C718" },
        { 19, 2, "3705D96080C17728A0E800EAB6E0D23C", "000102030405", "84D7F30754ED987BAB0BF3506BEB09CFB55402CEF7E6877CE99E247E52D16ED4421DFDF8976C" },
        { 19, 2, "3705D96080C17728A0E800EAB6E0D23C", "000102030405060708090A0B0C0D0E0F", "3517D640F50DDC8AD3628722B3569D2AE07493FA8263254080EA65C1008E8FC295FB4852E7D83E1E7C48C37EEBE6B0D3" },
        { 19, 2, "3705D96080C17728A0E800EAB6E0D23C", "000102030405060708090A0B0C0D0E0F1011121314", "720F73B18D9859CD6CCB4346115CD336C70F58EDC0C4437C5573544C31C813BCE1E6D072C186B39A413C2F92CA9B8334A287FFCBFC" },
        { 20, 2, "6D404D37FAF79F9DF0D33568D320669800EB4836472EA8A026D16B7182460C52", "", "41F53FA5BFE7026D91FAF9BE959195A058707273A96A40F0A01960621AC612748B9BBFBE7EB4CE3C" },
        { 20, 2, "6D404D37FAF79F9DF0D33568D320669800EB4836472EA8A026D16B7182460C52", "000102030405", "4ED7B37C2BCAC8F74F23C1CF07E62BC7B75FB3F637B9F559C7F664F69EAB7B6092237526EA0D1F61CB20D69D10F2" },
        { 20, 2, "6D404D37FAF79F9DF0D33568D320669800EB4836472EA8A026D16B7182460C52", "000102030405060708090A0B0C0D0E0F", "BC47FFEC7998EB91E8115CF8D19DAC4BBBE2E163E87DD37F49BECA92027764F68CF51F14D798C2273F35DF574D1F932E40C4FF255B36A266" },
        { 20, 2, "6D404D37FAF79F9DF0D33568D320669800EB4836472EA8A026D16B7182460C52", "000102030405060708090A0B0C0D0E0F1011121314", "40013E2DF58E8751957D2878BCD2D6FE101CCFD556CB1EAE79DB3C3EE86429F2B2A602AC86FEF6ECB647D6295FAE077A1FEB517508D2C16B4192E01F62" },
    };

    [Theory]
    [MemberData(nameof(EncryptionVectors))]
    public void Decrypt_gives_the_sample_plaintext(int enctype, int usage, string key, string plaintext, string ciphertext)
    {
        using var cipher = new KerberosCipher(KerberosEnctype.Find(enctype)!, Convert.FromHexString(key), usage);

        byte[] decrypted = Decrypt(cipher, Convert.FromHexString(ciphertext));

        Assert.Equal(plaintext, Convert.ToHexString(decrypted.AsSpan(KerberosEnctype.ConfounderLength)));
    }

    [Theory]
    [MemberData(nameof(EncryptionVectors))]
    public void Encrypt_with_the_sample_confounder_gives_the_sample_ciphertext(int enctype, int usage, string key, string plaintext, string ciphertext)
    {
        using var cipher = new KerberosCipher(KerberosEnctype.Find(enctype)!, Convert.FromHexString(key), usage);
        byte[] confounderAndPlaintext = Decrypt(cipher, Convert.FromHexString(ciphertext));
        Assert.Equal(plaintext, Convert.ToHexString(confounderAndPlaintext.AsSpan(KerberosEnctype.ConfounderLength)));
        int length = confounderAndPlaintext.Length;
        var buffer = new byte[AesCts.PaddedLength(length)];
        confounderAndPlaintext.CopyTo(buffer);
        var mac = new byte[cipher.MacLength];

        cipher.Encrypt(buffer, length, mac);

        Assert.Equal(ciphertext, Convert.ToHexString(buffer.AsSpan(0, length)) + Convert.ToHexString(mac));
    }

    [Theory]
    [MemberData(nameof(EncryptionVectors))]
    public void Decrypt_refuses_a_sample_with_its_last_byte_changed(int enctype, int usage, string key, string plaintext, string ciphertext)
    {
        using var cipher = new KerberosCipher(KerberosEnctype.Find(enctype)!, Convert.FromHexString(key), usage);
        byte[] altered = Convert.FromHexString(ciphertext);
        altered[^1] ^= 0x01;
        int length = altered.Length - cipher.MacLength;
        var buffer = new byte[AesCts.PaddedLength(length)];
        altered.AsSpan(0, length).CopyTo(buffer);

        Assert.False(cipher.Decrypt(buffer, length, altered.AsSpan(length)), plaintext);
    }

    public static TheoryData<int, int, string, string, string> ChecksumVectors() => new()
    {
        { 17, 3, "9062430C8CDA3388922E6D6A509F5B7A", Hex("eight nine ten eleven twelve thirteen"), "01A4B088D45628F6946614E3" },
        { 18, 4, "B1AE4CD8462AFF1677053CC9279AAC30B796FB81CE21474DD3DDBCFEA4EC76D7", Hex("fourteen"), "E08739E3279E2903EC8E3836" },
        { 19, 2, "3705D96080C17728A0E800EAB6E0D23C", "000102030405060708090A0B0C0D0E0F1011121314", "D78367186643D67B411CBA9139FC1DEE" },
        { 20, 2, "6D404D37FAF79F9DF0D33568D320669800EB4836472EA8A026D16B7182460C52", "000102030405060708090A0B0C0D0E0F1011121314", "45EE791567EEFCA37F4AC1E0222DE80D43C3BFA06699672A" },
    };

    [Theory]
    [MemberData(nameof(ChecksumVectors))]
    public void Checksum_gives_the_sample_value(int enctype, int usage, string key, string data, string checksum)
    {
        KerberosEnctype type = KerberosEnctype.Find(enctype)!;
        using var hmac = new TruncatedHmac(type.Hash, KeyDerivation.Derive(type, Convert.FromHexString(key), usage, KeyDerivation.Checksum), type.ChecksumLength);
        var computed = new byte[hmac.Length];

        hmac.Compute(Convert.FromHexString(data), default, computed);

        Assert.Equal(checksum, Convert.ToHexString(computed));
    }

    private static byte[] Decrypt(KerberosCipher cipher, byte[] ciphertext)
    {
        int length = ciphertext.Length - cipher.MacLength;
        var buffer = new byte[AesCts.PaddedLength(length)];
        ciphertext.AsSpan(0, length).CopyTo(buffer);
        Assert.True(cipher.Decrypt(buffer, length, ciphertext.AsSpan(length)));
        return buffer.AsSpan(0, length).ToArray();
    }

    private static string Hex(string text) => Convert.ToHexString(Encoding.ASCII.GetBytes(text));
}
