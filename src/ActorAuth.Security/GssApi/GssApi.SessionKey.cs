using System.Runtime.InteropServices;

namespace ActorAuth.Security;

/// <summary>What a completed krb5 context protects its messages with, asked of MIT without changing the context.</summary>
internal static unsafe partial class GssApi
{
    /// <summary>gss_buffer_set_desc: { size_t count; gss_buffer_desc *elements; }.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct GssBufferSet
    {
        public nuint Count;
        public GssBuffer* Elements;
    }

    /// <summary>GSS_C_INQ_SSPI_SESSION_KEY, 1.2.840.113554.1.2.2.5.5: the key an SSPI peer protects messages with, and its enctype.</summary>
    private static readonly byte[] InquireSessionKeyOid = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02, 0x05, 0x05];

    /// <summary>GSS_KRB5_SESSION_KEY_ENCTYPE_OID, 1.2.840.113554.1.2.2.4: the enctype is the arc after it.</summary>
    private static readonly byte[] SessionKeyEnctypePrefix = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02, 0x04];

    [LibraryImport(LibraryName)]
    public static partial uint gss_inquire_sec_context_by_oid(uint* minor, IntPtr context, GssOid* desiredObject, GssBufferSet** dataSet);

    [LibraryImport(LibraryName)]
    public static partial uint gss_release_buffer_set(uint* minor, GssBufferSet** bufferSet);

    /// <summary>
    /// The enctype of the key the context's messages are protected with (the acceptor subkey when there is one),
    /// or null when MIT cannot say (not a krb5 context). The key itself is cleared in MIT's buffer before it is freed.
    /// </summary>
    public static int? ProtectionEnctype(IntPtr context)
    {
        uint minor;
        GssBufferSet* set = null;
        fixed (byte* oid = InquireSessionKeyOid)
        {
            var desired = new GssOid { Length = (uint)InquireSessionKeyOid.Length, Elements = oid };
            if (IsError(gss_inquire_sec_context_by_oid(&minor, context, &desired, &set)) || set == null)
            {
                return null;
            }
        }

        try
        {
            if (set->Count < 2)
            {
                return null;
            }

            new Span<byte>(set->Elements[0].Value, checked((int)set->Elements[0].Length)).Clear();
            return TryReadEnctype(set->Elements[1].AsSpan(), out int enctype) ? enctype : null;
        }
        finally
        {
            gss_release_buffer_set(&minor, &set);
        }
    }

    /// <summary>Reads the enctype arc (base 128, high bit = more) after GSS_KRB5_SESSION_KEY_ENCTYPE_OID.</summary>
    internal static bool TryReadEnctype(ReadOnlySpan<byte> oid, out int enctype)
    {
        enctype = 0;
        if (!oid.StartsWith(SessionKeyEnctypePrefix) || oid.Length == SessionKeyEnctypePrefix.Length || oid.Length > SessionKeyEnctypePrefix.Length + 4)
        {
            return false;
        }

        foreach (byte b in oid[SessionKeyEnctypePrefix.Length..])
        {
            enctype = (enctype << 7) | (b & 0x7f);
        }

        return (oid[^1] & 0x80) == 0;
    }
}
