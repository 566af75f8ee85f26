using System.Formats.Asn1;
using System.Net;
using System.Net.Security;

namespace ActorAuth.Security.Tests;

/// <summary>
/// Real first tokens from the dev realm, and the same AP-REQs re-wrapped or rewritten with System.Formats.Asn1's
/// reader and writer (independent of the parser under test): bare, GSS-framed, in a NegTokenInit or NegTokenResp,
/// with the ticket's sname replaced.
/// </summary>
internal static class ApReqTokens
{
    public const string KerberosOid = "1.2.840.113554.1.2.2";
    public const string MicrosoftKerberosOid = "1.2.840.48018.1.2.2";
    public const string SpnegoOid = "1.3.6.1.5.5.2";
    public const string NtlmOid = "1.3.6.1.4.1.311.2.2.10";

    /// <summary>An NTLM NEGOTIATE_MESSAGE (MS-NLMP §2.2.1.1) with the usual flags and no domain or workstation.</summary>
    public static byte[] NtlmNegotiate =>
        [.. "NTLMSSP\0"u8, 0x01, 0x00, 0x00, 0x00, 0x07, 0x82, 0x08, 0xA2, .. new byte[16]];

    /// <summary>The first token of ActorAuth's client (GSSAPI provider) for <paramref name="package"/>: from the ccache, or a password.</summary>
    public static byte[] FirstToken(string package, string target = RealmFixture.ServicePrincipal, NetworkCredential? credential = null)
    {
        using var client = new ClientSecurityContext(
            new ClientContextOptions { Package = package, TargetName = target, Credential = credential }, SecurityProvider.GssApi);
        SecurityStatus status = client.Initialize([], out byte[]? token);
        return !status.IsError && token is { Length: > 0 } ? token : throw new InvalidOperationException($"no first {package} token for {target}: {status}");
    }

    /// <summary>The first token of .NET's own NegotiateAuthentication client.</summary>
    public static byte[] NegotiateAuthenticationFirstToken(string package)
    {
        using var client = new NegotiateAuthentication(new NegotiateAuthenticationClientOptions { Package = package, TargetName = RealmFixture.ServicePrincipal });
        byte[]? token = client.GetOutgoingBlob(ReadOnlySpan<byte>.Empty, out NegotiateAuthenticationStatusCode status);
        return token is { Length: > 0 } ? token : throw new InvalidOperationException($"no first {package} token: {status}");
    }

    /// <summary>A NegTokenInit's mechToken (the Kerberos GSS token inside a SPNEGO first token).</summary>
    public static byte[] MechToken(byte[] spnego)
    {
        AsnReader framing = new AsnReader(spnego, AsnEncodingRules.DER).ReadSequence(new Asn1Tag(TagClass.Application, 0));
        Assert.Equal(SpnegoOid, framing.ReadObjectIdentifier());
        AsnReader fields = framing.ReadSequence(Context(0)).ReadSequence();
        while (fields.HasData)
        {
            if (fields.PeekTag() == Context(2))
            {
                return fields.ReadSequence(Context(2)).ReadOctetString();
            }

            fields.ReadEncodedValue();
        }

        throw new InvalidOperationException("no mechToken");
    }

    /// <summary>The AP-REQ inside a Kerberos GSS token (after the OID and TOK_ID 01 00).</summary>
    public static byte[] BareApReq(byte[] gss)
    {
        AsnDecoder.ReadEncodedValue(gss, AsnEncodingRules.DER, out int contentOffset, out int contentLength, out _);
        ReadOnlySpan<byte> contents = gss.AsSpan(contentOffset, contentLength);
        AsnDecoder.ReadEncodedValue(contents, AsnEncodingRules.DER, out _, out _, out int oidLength);
        ReadOnlySpan<byte> rest = contents[oidLength..];
        Assert.True(rest[0] == 0x01 && rest[1] == 0x00, "TOK_ID is not 01 00");
        return rest[2..].ToArray();
    }

    /// <summary>A Kerberos GSS token: framing with <paramref name="oid"/>, <paramref name="tokenId"/>, the message.</summary>
    public static byte[] Gss(string oid, byte[] message, ushort tokenId = 0x0100)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteObjectIdentifier(oid);
        byte[] body = [.. writer.Encode(), (byte)(tokenId >> 8), (byte)tokenId, .. message];
        return Framed(body);
    }

    /// <summary>
    /// A SPNEGO first token offering <paramref name="mechanism"/> with <paramref name="mechToken"/> (null: none),
    /// then <paramref name="after"/> (one encoded value) as the NegTokenInit's last field.
    /// </summary>
    public static byte[] NegTokenInit(byte[]? mechToken, string mechanism = KerberosOid, byte[]? after = null)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteObjectIdentifier(SpnegoOid);
        using (writer.PushSequence(Context(0)))
        using (writer.PushSequence())
        {
            using (writer.PushSequence(Context(0)))
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(mechanism);
            }

            if (mechToken is not null)
            {
                using (writer.PushSequence(Context(2)))
                {
                    writer.WriteOctetString(mechToken);
                }
            }

            if (after is not null)
            {
                writer.WriteEncodedValue(after);
            }
        }

        return Framed(writer.Encode());
    }

    /// <summary>A NegTokenResp with negState accept-incomplete and <paramref name="responseToken"/>.</summary>
    public static byte[] NegTokenResp(byte[]? responseToken)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence(Context(1)))
        using (writer.PushSequence())
        {
            using (writer.PushSequence(Context(0)))
            {
                writer.WriteEncodedValue([0x0A, 0x01, 0x01]); // ENUMERATED accept-incomplete
            }

            if (responseToken is not null)
            {
                using (writer.PushSequence(Context(2)))
                {
                    writer.WriteOctetString(responseToken);
                }
            }
        }

        return writer.Encode();
    }

    /// <summary>The bare AP-REQ <paramref name="apReq"/> with its ticket's sname name-string replaced by <paramref name="components"/>.</summary>
    public static byte[] WithServerName(byte[] apReq, params string[] components)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        AsnReader fields = new AsnReader(apReq, AsnEncodingRules.DER).ReadSequence(new Asn1Tag(TagClass.Application, 14)).ReadSequence();
        using (writer.PushSequence(new Asn1Tag(TagClass.Application, 14)))
        using (writer.PushSequence())
        {
            for (int field = 0; field <= 4; field++)
            {
                if (field != 3)
                {
                    writer.WriteEncodedValue(fields.ReadEncodedValue().Span);
                    continue;
                }

                AsnReader ticket = fields.ReadSequence(Context(3)).ReadSequence(new Asn1Tag(TagClass.Application, 1)).ReadSequence();
                using (writer.PushSequence(Context(3)))
                using (writer.PushSequence(new Asn1Tag(TagClass.Application, 1)))
                using (writer.PushSequence())
                {
                    writer.WriteEncodedValue(ticket.ReadEncodedValue().Span); // tkt-vno
                    writer.WriteEncodedValue(ticket.ReadEncodedValue().Span); // realm
                    AsnReader sname = ticket.ReadSequence(Context(2)).ReadSequence();
                    using (writer.PushSequence(Context(2)))
                    using (writer.PushSequence())
                    {
                        writer.WriteEncodedValue(sname.ReadEncodedValue().Span); // name-type
                        using (writer.PushSequence(Context(1)))
                        using (writer.PushSequence())
                        {
                            foreach (string component in components)
                            {
                                // AsnWriter has no GeneralString: 1B, a short length, the ASCII.
                                writer.WriteEncodedValue([0x1B, (byte)component.Length, .. System.Text.Encoding.ASCII.GetBytes(component)]);
                            }
                        }
                    }

                    writer.WriteEncodedValue(ticket.ReadEncodedValue().Span); // enc-part
                }
            }
        }

        return writer.Encode();
    }

    /// <summary>[APPLICATION 0] around bytes that are not one DER value (AsnWriter cannot push raw contents).</summary>
    private static byte[] Framed(byte[] body) => [0x60, .. LengthOf(body.Length), .. body];

    private static byte[] LengthOf(int length) =>
        length < 0x80 ? [(byte)length]
        : length < 0x100 ? [0x81, (byte)length]
        : [0x82, (byte)(length >> 8), (byte)length];

    private static Asn1Tag Context(int number) => new(TagClass.ContextSpecific, number, isConstructed: true);
}
