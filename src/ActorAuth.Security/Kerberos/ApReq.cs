using System.Text;

namespace ActorAuth.Security.Kerberos;

/// <summary>What <see cref="ApReqReader.TryRead"/> found in a client's context token.</summary>
public enum ApReqStatus
{
    /// <summary>The token carries a Kerberos AP-REQ, which was read.</summary>
    Found,

    /// <summary>
    /// A well-formed token that carries no AP-REQ: NTLM, another mechanism's GSS token, a Kerberos GSS token of
    /// another type (an IAKERB proxy message), a SPNEGO NegTokenInit without a Kerberos optimistic token, a
    /// NegTokenResp without a Kerberos response token. MIT runs no replay check on it either. Read every client
    /// token of a handshake, not just the first: after a NegTokenInit without an optimistic token the AP-REQ comes
    /// in the next leg's NegTokenResp.
    /// </summary>
    NoApReq,

    /// <summary>
    /// Not a token that could be read: truncated, garbage, not DER (an indefinite or non-minimal length, bytes
    /// after the AP-REQ). MIT's own decoder is laxer than DER (it takes non-minimal lengths and ignores bytes after
    /// the AP-REQ), so a malformed token may still be one it accepts: refuse it rather than skip the replay check.
    /// </summary>
    Malformed,
}

/// <summary>How the AP-REQ reached the server.</summary>
public enum ApReqCarrier
{
    /// <summary>A bare AP-REQ ([APPLICATION 14]), as DCE-style clients send it and MIT's mechglue routes to Kerberos.</summary>
    Bare,

    /// <summary>A Kerberos GSS initial token (RFC 4121 §4.1: 0x60, a Kerberos mechanism OID, TOK_ID 01 00).</summary>
    Gss,

    /// <summary>The mechToken of a SPNEGO NegTokenInit (RFC 4178 §4.2.1).</summary>
    SpnegoInit,

    /// <summary>The responseToken of a SPNEGO NegTokenResp: the second leg when the NegTokenInit had no optimistic token.</summary>
    SpnegoResponse,
}

/// <summary>
/// The parts of a Kerberos AP-REQ (RFC 4120 §5.5.1) that can be read without a key, as spans into the token they
/// were read from. The ticket's realm and sname are in the clear and <b>not authenticated</b>: MIT's acceptor with
/// a keytab and no fixed name tries every key and then replaces the ticket's server with the keytab entry that
/// decrypted it. The authenticator is encrypted in the session key: its bytes cannot be changed undetected.
/// </summary>
public readonly ref struct ApReq
{
    internal ApReq(ApReqCarrier carrier, ReadOnlySpan<byte> realm, long nameType, ReadOnlySpan<byte> nameStrings,
        long authenticatorEtype, long? authenticatorKvno, ReadOnlySpan<byte> authenticatorCipher)
    {
        Carrier = carrier;
        Realm = realm;
        ServerNameType = nameType;
        ServerNameStrings = nameStrings;
        AuthenticatorEtype = authenticatorEtype;
        AuthenticatorKvno = authenticatorKvno;
        AuthenticatorCipher = authenticatorCipher;
    }

    /// <summary>How the AP-REQ was wrapped.</summary>
    public ApReqCarrier Carrier { get; }

    /// <summary>The ticket's realm (a KerberosString's bytes), as the client sent it.</summary>
    public ReadOnlySpan<byte> Realm { get; }

    /// <summary>The ticket's sname name-type, as the client sent it.</summary>
    public long ServerNameType { get; }

    /// <summary>The contents of the ticket's sname name-string (a DER SEQUENCE OF KerberosString, at least one).</summary>
    public ReadOnlySpan<byte> ServerNameStrings { get; }

    /// <summary>The authenticator's enctype (RFC 3961 number: 17, 18, 19, 20, …).</summary>
    public long AuthenticatorEtype { get; }

    /// <summary>The authenticator's kvno when present (clients leave it out: it is encrypted in the session key).</summary>
    public long? AuthenticatorKvno { get; }

    /// <summary>The authenticator's ciphertext: what <see cref="ReplayTag"/> is computed over.</summary>
    public ReadOnlySpan<byte> AuthenticatorCipher { get; }

    /// <summary>
    /// The ticket's server as "a/b@REALM", with MIT's escapes (\/ \@ \\ \n \t \b \0) and any other control
    /// character or invalid UTF-8 as U+FFFD, so it is safe to log. It is what the client claims (see the type's
    /// remarks). Allocates: call it to log, not on every handshake.
    /// </summary>
    public string FormatServerPrincipal()
    {
        var text = new StringBuilder(ServerNameStrings.Length + Realm.Length + 1);
        var reader = new DerReader(ServerNameStrings);
        bool first = true;
        while (reader.TryRead(ApReqReader.KerberosString, out ReadOnlySpan<byte> component))
        {
            if (!first)
            {
                text.Append('/');
            }

            Append(text, component);
            first = false;
        }

        text.Append('@');
        Append(text, Realm);
        return text.ToString();
    }

    private static void Append(StringBuilder text, ReadOnlySpan<byte> utf8)
    {
        foreach (char c in Encoding.UTF8.GetString(utf8))
        {
            string? escape = c switch
            {
                '/' => "\\/",
                '@' => "\\@",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\b' => "\\b",
                '\0' => "\\0",
                _ => null,
            };
            if (escape is not null)
            {
                text.Append(escape);
            }
            else
            {
                text.Append(char.IsControl(c) ? '\uFFFD' : c);
            }
        }
    }
}
