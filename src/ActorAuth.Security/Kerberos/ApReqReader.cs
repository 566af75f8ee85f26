using System.Formats.Asn1;

namespace ActorAuth.Security.Kerberos;

/// <summary>
/// Finds the Kerberos AP-REQ in a client's context token and reads its unencrypted parts. A pure parser: DER only
/// (System.Formats.Asn1's <see cref="AsnDecoder"/> over spans), no exceptions, no allocation, and every length
/// checked against the bytes actually there, so it runs on hostile bytes before the security package sees them.
/// <code>
/// SPNEGO init:  60 len | 06 1.3.6.1.5.5.2 | A0 NegTokenInit  SEQUENCE { [0] mechTypes, [1] reqFlags, [2] mechToken OCTET STRING, [3] MIC }
/// SPNEGO resp:  A1 NegTokenResp SEQUENCE { [0] negState, [1] supportedMech, [2] responseToken OCTET STRING, [3] MIC }
/// GSS krb5:     60 len | 06 krb5 OID | 01 00 (TOK_ID) | AP-REQ        (RFC 4121 §4.1; MIT's parse_init_token)
/// AP-REQ:       6E len | SEQUENCE { [0] pvno 5, [1] msg-type 14, [2] ap-options, [3] Ticket, [4] authenticator EncryptedData }
/// Ticket:       61 len | SEQUENCE { [0] tkt-vno 5, [1] realm, [2] sname PrincipalName, [3] enc-part EncryptedData }
/// EncryptedData:         SEQUENCE { [0] etype Int32, [1] kvno UInt32 OPTIONAL, [2] cipher OCTET STRING }
/// </code>
/// The mechToken / responseToken is classified by its own framing, as MIT's Kerberos mechanism reads it, not by
/// the mechTypes list. The GSS framing must cover the token exactly (MIT requires it too).
/// </summary>
public static class ApReqReader
{
    /// <summary>KerberosString: a primitive GeneralString (RFC 4120 §5.2.1).</summary>
    internal static readonly Asn1Tag KerberosString = new(UniversalTagNumber.GeneralString);

    private static readonly Asn1Tag GssFraming = new(TagClass.Application, 0, isConstructed: true);
    private static readonly Asn1Tag ApReqTag = new(TagClass.Application, 14, isConstructed: true);
    private static readonly Asn1Tag TicketTag = new(TagClass.Application, 1, isConstructed: true);
    private static readonly Asn1Tag NegTokenResp = new(TagClass.ContextSpecific, 1, isConstructed: true);

    // OID contents (no tag and length). MIT's Kerberos acceptor takes an AP-REQ under all four Kerberos OIDs.
    private static ReadOnlySpan<byte> Spnego => [0x2B, 0x06, 0x01, 0x05, 0x05, 0x02];                          // 1.3.6.1.5.5.2
    private static ReadOnlySpan<byte> Krb5 => [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x12, 0x01, 0x02, 0x02];         // 1.2.840.113554.1.2.2
    private static ReadOnlySpan<byte> Krb5Microsoft => [0x2A, 0x86, 0x48, 0x82, 0xF7, 0x12, 0x01, 0x02, 0x02]; // 1.2.840.48018.1.2.2
    private static ReadOnlySpan<byte> Krb5Old => [0x2B, 0x05, 0x01, 0x05, 0x02];                              // 1.3.5.1.5.2
    private static ReadOnlySpan<byte> Iakerb => [0x2B, 0x06, 0x01, 0x05, 0x02, 0x05];                         // 1.3.6.1.5.2.5
    private static ReadOnlySpan<byte> NtlmSignature => "NTLMSSP\0"u8;

    private const ushort ApReqTokenId = 0x0100;

    /// <summary>
    /// Reads the AP-REQ in <paramref name="token"/>: a SPNEGO NegTokenInit or NegTokenResp, a Kerberos GSS initial
    /// token or a bare AP-REQ. <paramref name="apReq"/> is meaningful only when the result is <see cref="ApReqStatus.Found"/>.
    /// </summary>
    public static ApReqStatus TryRead(ReadOnlySpan<byte> token, out ApReq apReq)
    {
        apReq = default;
        if (!token.IsEmpty && token[0] == 0xA1)
        {
            // A NegTokenResp: [1] { SEQUENCE { ... } } and nothing after it.
            var reader = new DerReader(token);
            return reader.TryRead(NegTokenResp, out ReadOnlySpan<byte> choice) && !reader.HasData
                ? ReadSpnegoFields(choice, ApReqCarrier.SpnegoResponse, out apReq)
                : ApReqStatus.Malformed;
        }

        return ReadMechanismToken(token, spnego: null, out apReq);
    }

    /// <summary>
    /// A mechanism token: Kerberos (GSS-framed or bare), SPNEGO (only at the top, <paramref name="spnego"/> null)
    /// or another mechanism's. Inside SPNEGO, <paramref name="spnego"/> is the carrier to report.
    /// </summary>
    private static ApReqStatus ReadMechanismToken(ReadOnlySpan<byte> token, ApReqCarrier? spnego, out ApReq apReq)
    {
        apReq = default;
        if (token.IsEmpty || token.StartsWith(NtlmSignature))
        {
            return ApReqStatus.NoApReq;
        }

        if (token[0] == 0x6E)
        {
            return ReadApReq(token, spnego ?? ApReqCarrier.Bare, out apReq);
        }

        if (!TryReadGssFraming(token, out ReadOnlySpan<byte> oid, out ReadOnlySpan<byte> inner))
        {
            return ApReqStatus.Malformed;
        }

        if (oid.SequenceEqual(Spnego))
        {
            // The inner token is a NegotiationToken: [0] NegTokenInit, alone. SPNEGO inside SPNEGO is nobody's.
            var negotiation = new DerReader(inner);
            return spnego is null && negotiation.TryRead(DerReader.Context(0), out ReadOnlySpan<byte> choice) && !negotiation.HasData
                ? ReadSpnegoFields(choice, ApReqCarrier.SpnegoInit, out apReq)
                : ApReqStatus.Malformed;
        }

        if (!(oid.SequenceEqual(Krb5) || oid.SequenceEqual(Krb5Microsoft) || oid.SequenceEqual(Krb5Old) || oid.SequenceEqual(Iakerb)))
        {
            return ApReqStatus.NoApReq; // another mechanism's token, its own business
        }

        if (inner.Length < 2)
        {
            return ApReqStatus.Malformed;
        }

        // Another TOK_ID (an IAKERB proxy message, an AP-REP or KRB-ERROR sent the wrong way): MIT reads no AP-REQ from it.
        return (ushort)(inner[0] << 8 | inner[1]) == ApReqTokenId
            ? ReadApReq(inner[2..], spnego ?? ApReqCarrier.Gss, out apReq)
            : ApReqStatus.NoApReq;
    }

    /// <summary>The RFC 2743 §3.1 framing: [APPLICATION 0] covering the whole token, a mechanism OID, then the inner token.</summary>
    private static bool TryReadGssFraming(ReadOnlySpan<byte> token, out ReadOnlySpan<byte> oid, out ReadOnlySpan<byte> inner)
    {
        oid = inner = default;
        var reader = new DerReader(token);
        if (!reader.TryRead(GssFraming, out ReadOnlySpan<byte> framed) || reader.HasData)
        {
            return false;
        }

        // The inner token is not one DER value (TOK_ID, then the message), so only the OID is read as a value.
        var contents = new DerReader(framed);
        if (!contents.TryRead(Asn1Tag.ObjectIdentifier, out oid) || oid.IsEmpty)
        {
            return false;
        }

        inner = contents.Rest;
        return true;
    }

    /// <summary>
    /// The fields of a NegTokenInit or NegTokenResp SEQUENCE, in ascending tag order as DER has them: field [2]
    /// (mechToken / responseToken) is the mechanism token, if any. Other fields are skipped (Microsoft adds some).
    /// </summary>
    private static ApReqStatus ReadSpnegoFields(ReadOnlySpan<byte> choice, ApReqCarrier carrier, out ApReq apReq)
    {
        apReq = default;
        var outer = new DerReader(choice);
        if (!outer.TryRead(Asn1Tag.Sequence, out ReadOnlySpan<byte> sequence) || outer.HasData)
        {
            return ApReqStatus.Malformed;
        }

        var fields = new DerReader(sequence);
        int previous = -1;
        bool found = false;
        ReadOnlySpan<byte> mechanismToken = default;
        while (fields.HasData)
        {
            if (!fields.TryReadAny(out Asn1Tag tag, out ReadOnlySpan<byte> field)
                || tag.TagClass != TagClass.ContextSpecific || !tag.IsConstructed || tag.TagValue <= previous)
            {
                return ApReqStatus.Malformed;
            }

            previous = tag.TagValue;
            if (tag.TagValue == 2)
            {
                var value = new DerReader(field);
                if (!value.TryRead(Asn1Tag.PrimitiveOctetString, out mechanismToken) || value.HasData)
                {
                    return ApReqStatus.Malformed;
                }

                found = true;
            }
        }

        return found ? ReadMechanismToken(mechanismToken, carrier, out apReq) : ApReqStatus.NoApReq;
    }

    /// <summary>An AP-REQ that fills <paramref name="bytes"/> exactly.</summary>
    private static ApReqStatus ReadApReq(ReadOnlySpan<byte> bytes, ApReqCarrier carrier, out ApReq apReq)
    {
        apReq = default;
        var message = new DerReader(bytes);
        if (!message.TryRead(ApReqTag, out ReadOnlySpan<byte> application) || message.HasData)
        {
            return ApReqStatus.Malformed;
        }

        var outer = new DerReader(application);
        if (!outer.TryRead(Asn1Tag.Sequence, out ReadOnlySpan<byte> sequence) || outer.HasData)
        {
            return ApReqStatus.Malformed;
        }

        var fields = new DerReader(sequence);
        if (!fields.TryReadExplicitInteger(0, out long pvno) || pvno != 5
            || !fields.TryReadExplicitInteger(1, out long messageType) || messageType != 14
            || !fields.TryReadExplicit(2, Asn1Tag.PrimitiveBitString, out _)
            || !fields.TryReadExplicit(3, TicketTag, out ReadOnlySpan<byte> ticket)
            || !fields.TryReadExplicit(4, Asn1Tag.Sequence, out ReadOnlySpan<byte> authenticator)
            || fields.HasData
            || !TryReadTicket(ticket, out ReadOnlySpan<byte> realm, out long nameType, out ReadOnlySpan<byte> nameStrings)
            || !TryReadEncryptedData(authenticator, out long etype, out long? kvno, out ReadOnlySpan<byte> cipher))
        {
            return ApReqStatus.Malformed;
        }

        apReq = new ApReq(carrier, realm, nameType, nameStrings, etype, kvno, cipher);
        return ApReqStatus.Found;
    }

    private static bool TryReadTicket(ReadOnlySpan<byte> ticket, out ReadOnlySpan<byte> realm, out long nameType, out ReadOnlySpan<byte> nameStrings)
    {
        realm = nameStrings = default;
        nameType = 0;
        var outer = new DerReader(ticket);
        if (!outer.TryRead(Asn1Tag.Sequence, out ReadOnlySpan<byte> sequence) || outer.HasData)
        {
            return false;
        }

        var fields = new DerReader(sequence);
        return fields.TryReadExplicitInteger(0, out long ticketVersion) && ticketVersion == 5
            && fields.TryReadExplicit(1, KerberosString, out realm)
            && fields.TryReadExplicit(2, Asn1Tag.Sequence, out ReadOnlySpan<byte> principal)
            && fields.TryReadExplicit(3, Asn1Tag.Sequence, out ReadOnlySpan<byte> encryptedPart)
            && !fields.HasData
            && TryReadPrincipalName(principal, out nameType, out nameStrings)
            && TryReadEncryptedData(encryptedPart, out _, out _, out _);
    }

    /// <summary>PrincipalName ::= SEQUENCE { name-type [0] Int32, name-string [1] SEQUENCE OF KerberosString } with one component at least.</summary>
    private static bool TryReadPrincipalName(ReadOnlySpan<byte> principal, out long nameType, out ReadOnlySpan<byte> nameStrings)
    {
        nameStrings = default;
        var fields = new DerReader(principal);
        if (!fields.TryReadExplicitInteger(0, out nameType)
            || !fields.TryReadExplicit(1, Asn1Tag.Sequence, out nameStrings)
            || fields.HasData
            || nameStrings.IsEmpty)
        {
            return false;
        }

        var components = new DerReader(nameStrings);
        while (components.HasData)
        {
            if (!components.TryRead(KerberosString, out _))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryReadEncryptedData(ReadOnlySpan<byte> encryptedData, out long etype, out long? kvno, out ReadOnlySpan<byte> cipher)
    {
        kvno = null;
        cipher = default;
        var fields = new DerReader(encryptedData);
        if (!fields.TryReadExplicitInteger(0, out etype))
        {
            return false;
        }

        if (fields.NextIs(DerReader.Context(1)))
        {
            if (!fields.TryReadExplicitInteger(1, out long version))
            {
                return false;
            }

            kvno = version;
        }

        return fields.TryReadExplicit(2, Asn1Tag.PrimitiveOctetString, out cipher) && !fields.HasData;
    }
}
