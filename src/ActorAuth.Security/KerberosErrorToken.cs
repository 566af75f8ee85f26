using System.Formats.Asn1;

namespace ActorAuth.Security;

/// <summary>
/// Recognises a Kerberos KRB-ERROR sent as a GSS-API token (RFC 4121 §4.1: the krb5 mechanism OID followed
/// by TOK_ID 03 00), bare or inside a SPNEGO NegTokenResp. A service's package sends one when it refuses a
/// client's ticket (wrong key, clock skew, replay), so the client can tell "the server refused me" from "the
/// server failed to prove itself".
/// </summary>
public static class KerberosErrorToken
{
    // DER of OID 1.2.840.113554.1.2.2 (krb5), then TOK_ID 03 00.
    private static ReadOnlySpan<byte> Marker => [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x12, 0x01, 0x02, 0x02, 0x03, 0x00];

    /// <summary>True when <paramref name="token"/> carries a KRB-ERROR.</summary>
    public static bool IsKrbError(ReadOnlySpan<byte> token) => token.IndexOf(Marker) >= 0;

    /// <summary>
    /// Reads the KRB-ERROR's error-code (RFC 4120 §5.9.1: 37 = clock skew, 35 = not for us, 34 = replay, …).
    /// Under SPNEGO, MIT renumbers the minor status it reports, so this code is what names the reason.
    /// </summary>
    public static bool TryReadErrorCode(ReadOnlySpan<byte> token, out int errorCode)
    {
        errorCode = 0;
        int at = token.IndexOf(Marker);
        if (at < 0)
        {
            return false;
        }

        try
        {
            // KRB-ERROR ::= [APPLICATION 30] SEQUENCE { pvno [0], msg-type [1], ctime [2] OPTIONAL, cusec [3] OPTIONAL,
            //                                          stime [4], susec [5], error-code [6] Int32, ... }
            var reader = new AsnReader(token[(at + Marker.Length)..].ToArray(), AsnEncodingRules.BER);
            AsnReader fields = reader.ReadSequence(new Asn1Tag(TagClass.Application, 30)).ReadSequence();
            var errorCodeTag = new Asn1Tag(TagClass.ContextSpecific, 6, isConstructed: true);
            while (fields.HasData)
            {
                if (fields.PeekTag() == errorCodeTag)
                {
                    return fields.ReadSequence(errorCodeTag).TryReadInt32(out errorCode);
                }

                fields.ReadEncodedValue();
            }
        }
        catch (AsnContentException)
        {
        }

        return false;
    }
}
