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
}
