using System.Runtime.InteropServices;

namespace ActorAuth.Security;

/// <summary>
/// The OIDs ActorAuth passes to MIT, in native memory for the life of the process (MIT keeps the pointers it
/// is given, e.g. in a credential's mechanism set, so they must never move or be freed).
/// </summary>
internal static unsafe partial class GssApi
{
    /// <summary>Kerberos v5, 1.2.840.113554.1.2.2 (RFC 1964).</summary>
    public static readonly GssOid* Kerberos = NewOid([0x2A, 0x86, 0x48, 0x86, 0xF7, 0x12, 0x01, 0x02, 0x02]);

    /// <summary>Microsoft's mis-encoded Kerberos OID, 1.2.840.48018.1.2.2, which SPNEGO peers may negotiate.</summary>
    public static readonly GssOid* KerberosMicrosoft = NewOid([0x2A, 0x86, 0x48, 0x82, 0xF7, 0x12, 0x01, 0x02, 0x02]);

    /// <summary>The pre-RFC Kerberos OID, 1.3.5.1.5.2, still recognised by MIT.</summary>
    public static readonly GssOid* KerberosOld = NewOid([0x2B, 0x05, 0x01, 0x05, 0x02]);

    /// <summary>SPNEGO, 1.3.6.1.5.5.2 (RFC 4178).</summary>
    public static readonly GssOid* Spnego = NewOid([0x2B, 0x06, 0x01, 0x05, 0x05, 0x02]);

    /// <summary>NTLM (gss-ntlmssp), 1.3.6.1.4.1.311.2.2.10.</summary>
    public static readonly GssOid* Ntlm = NewOid([0x2B, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x0A]);

    /// <summary>GSS_C_NT_HOSTBASED_SERVICE, 1.2.840.113554.1.2.1.4: "service@host".</summary>
    public static readonly GssOid* NtHostBasedService = NewOid([0x2A, 0x86, 0x48, 0x86, 0xF7, 0x12, 0x01, 0x02, 0x01, 0x04]);

    /// <summary>GSS_KRB5_NT_PRINCIPAL_NAME, 1.2.840.113554.1.2.2.1: "name/instance@REALM".</summary>
    public static readonly GssOid* NtKerberosPrincipal = NewOid([0x2A, 0x86, 0x48, 0x86, 0xF7, 0x12, 0x01, 0x02, 0x02, 0x01]);

    /// <summary>{ krb5 }, the desired mechanisms for the Kerberos package.</summary>
    public static readonly GssOidSet* KerberosSet = NewSet(Kerberos);

    /// <summary>
    /// { SPNEGO, krb5 }, the desired mechanisms for a Negotiate acceptor: it takes SPNEGO tokens and raw
    /// Kerberos tokens alike, as Windows' Negotiate package and .NET's default acceptor credential do.
    /// </summary>
    public static readonly GssOidSet* NegotiateSet = NewSet(Spnego, Kerberos);

    /// <summary>The mechanism to use for a package: krb5 for Kerberos, SPNEGO for Negotiate.</summary>
    public static GssOid* MechanismOf(string package) => package == SecurityPackages.Kerberos ? Kerberos : Spnego;

    /// <summary>The mechanism set to acquire credentials for, by package.</summary>
    public static GssOidSet* MechanismSetOf(string package) => package == SecurityPackages.Kerberos ? KerberosSet : NegotiateSet;

    /// <summary>The package name of a negotiated mechanism: "Kerberos" for any of MIT's krb5 OIDs.</summary>
    public static string PackageOf(GssOid* mech, string fallback) =>
        mech == null ? fallback
        : OidEquals(mech, Kerberos) || OidEquals(mech, KerberosMicrosoft) || OidEquals(mech, KerberosOld) ? SecurityPackages.Kerberos
        : OidEquals(mech, Ntlm) ? "NTLM"
        : OidEquals(mech, Spnego) ? SecurityPackages.Negotiate
        : fallback;

    /// <summary>The dotted form of an OID (for diagnostics).</summary>
    public static string ToDotted(GssOid* oid)
    {
        if (oid == null || oid->Length == 0)
        {
            return "(none)";
        }

        ReadOnlySpan<byte> der = new(oid->Elements, (int)oid->Length);
        var text = new System.Text.StringBuilder();
        text.Append(der[0] / 40).Append('.').Append(der[0] % 40);
        ulong value = 0;
        for (int i = 1; i < der.Length; i++)
        {
            value = (value << 7) | (uint)(der[i] & 0x7F);
            if ((der[i] & 0x80) == 0)
            {
                text.Append('.').Append(value);
                value = 0;
            }
        }

        return text.ToString();
    }

    private static bool OidEquals(GssOid* a, GssOid* b) =>
        a->Length == b->Length && new ReadOnlySpan<byte>(a->Elements, (int)a->Length).SequenceEqual(new ReadOnlySpan<byte>(b->Elements, (int)b->Length));

    private static GssOid* NewOid(ReadOnlySpan<byte> der)
    {
        var elements = (byte*)NativeMemory.Alloc((nuint)der.Length);
        der.CopyTo(new Span<byte>(elements, der.Length));
        var oid = (GssOid*)NativeMemory.Alloc((nuint)sizeof(GssOid));
        *oid = new GssOid { Length = (uint)der.Length, Elements = elements };
        return oid;
    }

    private static GssOidSet* NewSet(params GssOid*[] members)
    {
        // gss_OID_set_desc points at a contiguous array of gss_OID_desc, not at an array of pointers.
        var elements = (GssOid*)NativeMemory.Alloc((nuint)(sizeof(GssOid) * members.Length));
        for (int i = 0; i < members.Length; i++)
        {
            elements[i] = *members[i];
        }

        var set = (GssOidSet*)NativeMemory.Alloc((nuint)sizeof(GssOidSet));
        *set = new GssOidSet { Count = (nuint)members.Length, Elements = elements };
        return set;
    }
}
