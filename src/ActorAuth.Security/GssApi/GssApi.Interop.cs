using System.Runtime.InteropServices;

namespace ActorAuth.Security;

/// <summary>
/// P/Invoke bindings to MIT's libgssapi_krb5.so.2 (RFC 2744 C bindings), with the struct layouts of
/// gssapi.h on 64-bit Linux. Every parameter is a pointer or a blittable value, so the generated stubs are
/// plain calls with no marshalling. Handles (gss_name_t, gss_cred_id_t, gss_ctx_id_t) are opaque pointers,
/// owned by <see cref="GssNameHandle"/>, <see cref="GssCredentialHandle"/> and <see cref="GssContextHandle"/>.
/// </summary>
internal static unsafe partial class GssApi
{
    public const string LibraryName = "libgssapi_krb5.so.2";

    // Request/return flags (gssapi.h). IDENTIFY is the Windows-compatible bit MIT accepts (gssapi_ext.h).
    public const uint DelegFlag = 1;
    public const uint MutualFlag = 2;
    public const uint ReplayFlag = 4;
    public const uint SequenceFlag = 8;
    public const uint ConfFlag = 16;
    public const uint IntegFlag = 32;
    public const uint IdentifyFlag = 0x2000;

    /// <summary>GSS_C_QOP_DEFAULT: the mechanism's default protection (the only one RFC 4121 defines).</summary>
    public const uint QopDefault = 0;

    public const int CredentialBoth = 0;
    public const int CredentialInitiate = 1;
    public const int CredentialAccept = 2;
    public const uint Indefinite = 0xFFFFFFFF;

    public const int GssCode = 1;
    public const int MechCode = 2;

    // Major status layout: calling error << 24 | routine error << 16 | supplementary bits.
    public const uint CallingErrorMask = 0xFF000000;
    public const uint RoutineErrorMask = 0x00FF0000;
    public const uint ContinueNeeded = 1 << 0;
    public const uint DuplicateToken = 1 << 1;
    public const uint OldToken = 1 << 2;
    public const uint UnseqToken = 1 << 3;
    public const uint GapToken = 1 << 4;

    public static bool IsError(uint major) => (major & (CallingErrorMask | RoutineErrorMask)) != 0;

    /// <summary>gss_buffer_desc: { size_t length; void *value; }.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct GssBuffer
    {
        public nuint Length;
        public byte* Value;

        public readonly ReadOnlySpan<byte> AsSpan() => new(Value, checked((int)Length));
    }

    /// <summary>gss_OID_desc: { OM_uint32 length; void *elements; } (4 bytes of padding on x86_64).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct GssOid
    {
        public uint Length;
        public byte* Elements;
    }

    /// <summary>gss_OID_set_desc: { size_t count; gss_OID elements; }.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct GssOidSet
    {
        public nuint Count;
        public GssOid* Elements;
    }

    /// <summary>gss_key_value_element_desc: { const char *key; const char *value; } (a credential store entry).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct GssKeyValueElement
    {
        public byte* Key;
        public byte* Value;
    }

    /// <summary>gss_key_value_set_desc: { OM_uint32 count; gss_key_value_element_desc *elements; }.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct GssKeyValueSet
    {
        public uint Count;
        public GssKeyValueElement* Elements;
    }

    /// <summary>gss_krb5_lucid_key_t: { OM_uint32 type; OM_uint32 length; void *data; } (16 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct LucidKey
    {
        public uint Type;
        public uint Length;
        public byte* Data;

        public readonly ReadOnlySpan<byte> AsSpan() => new(Data, checked((int)Length));
    }

    /// <summary>gss_krb5_rfc1964_keydata_t: { OM_uint32 sign_alg; OM_uint32 seal_alg; gss_krb5_lucid_key_t ctx_key; } (24 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct LucidRfc1964KeyData
    {
        public uint SignAlgorithm;
        public uint SealAlgorithm;
        public LucidKey ContextKey;
    }

    /// <summary>
    /// gss_krb5_cfx_keydata_t: { OM_uint32 have_acceptor_subkey; gss_krb5_lucid_key_t ctx_key;
    /// gss_krb5_lucid_key_t acceptor_subkey; } (40 bytes: 4 of padding before ctx_key).
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct LucidCfxKeyData
    {
        public uint HaveAcceptorSubkey;
        public LucidKey ContextKey;
        public LucidKey AcceptorSubkey;
    }

    /// <summary>
    /// gss_krb5_lucid_context_v1_t (gssapi_krb5.h): { OM_uint32 version, initiate, endtime; uint64_t send_seq,
    /// recv_seq; OM_uint32 protocol; rfc1964_kd; cfx_kd; } (104 bytes: 4 of padding after endtime and after protocol).
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct LucidContextV1
    {
        public uint Version;
        public uint Initiate;
        public uint EndTime;
        public ulong SendSequence;
        public ulong ReceiveSequence;
        public uint Protocol;
        public LucidRfc1964KeyData Rfc1964;
        public LucidCfxKeyData Cfx;
    }

    [LibraryImport(LibraryName)]
    public static partial uint gss_import_name(uint* minor, GssBuffer* inputName, GssOid* nameType, IntPtr* outputName);

    [LibraryImport(LibraryName)]
    public static partial uint gss_release_name(uint* minor, IntPtr* name);

    [LibraryImport(LibraryName)]
    public static partial uint gss_display_name(uint* minor, IntPtr name, GssBuffer* outputName, GssOid** outputNameType);

    [LibraryImport(LibraryName)]
    public static partial uint gss_acquire_cred(
        uint* minor, IntPtr desiredName, uint timeReq, GssOidSet* desiredMechs, int credUsage,
        IntPtr* outputCred, GssOidSet** actualMechs, uint* timeRec);

    [LibraryImport(LibraryName)]
    public static partial uint gss_acquire_cred_with_password(
        uint* minor, IntPtr desiredName, GssBuffer* password, uint timeReq, GssOidSet* desiredMechs, int credUsage,
        IntPtr* outputCred, GssOidSet** actualMechs, uint* timeRec);

    [LibraryImport(LibraryName)]
    public static partial uint gss_acquire_cred_from(
        uint* minor, IntPtr desiredName, uint timeReq, GssOidSet* desiredMechs, int credUsage, GssKeyValueSet* credStore,
        IntPtr* outputCred, GssOidSet** actualMechs, uint* timeRec);

    [LibraryImport(LibraryName)]
    public static partial uint gss_store_cred_into(
        uint* minor, IntPtr inputCred, int inputUsage, GssOid* desiredMech, uint overwriteCred, uint defaultCred,
        GssKeyValueSet* credStore, GssOidSet** elementsStored, int* credUsageStored);

    [LibraryImport(LibraryName)]
    public static partial uint gss_inquire_cred(
        uint* minor, IntPtr cred, IntPtr* name, uint* lifetime, int* credUsage, GssOidSet** mechanisms);

    [LibraryImport(LibraryName)]
    public static partial uint gss_release_cred(uint* minor, IntPtr* cred);

    [LibraryImport(LibraryName)]
    public static partial uint gss_init_sec_context(
        uint* minor, IntPtr claimantCred, IntPtr* context, IntPtr targetName, GssOid* mechType, uint reqFlags,
        uint timeReq, void* channelBindings, GssBuffer* inputToken, GssOid** actualMechType, GssBuffer* outputToken,
        uint* retFlags, uint* timeRec);

    [LibraryImport(LibraryName)]
    public static partial uint gss_accept_sec_context(
        uint* minor, IntPtr* context, IntPtr acceptorCred, GssBuffer* inputToken, void* channelBindings,
        IntPtr* sourceName, GssOid** mechType, GssBuffer* outputToken, uint* retFlags, uint* timeRec,
        IntPtr* delegatedCred);

    [LibraryImport(LibraryName)]
    public static partial uint gss_delete_sec_context(uint* minor, IntPtr* context, GssBuffer* outputToken);

    [LibraryImport(LibraryName)]
    public static partial uint gss_wrap(
        uint* minor, IntPtr context, int confReq, uint qop, GssBuffer* input, int* confState, GssBuffer* output);

    [LibraryImport(LibraryName)]
    public static partial uint gss_unwrap(
        uint* minor, IntPtr context, GssBuffer* input, GssBuffer* output, int* confState, uint* qop);

    [LibraryImport(LibraryName)]
    public static partial uint gss_get_mic(uint* minor, IntPtr context, uint qop, GssBuffer* message, GssBuffer* token);

    [LibraryImport(LibraryName)]
    public static partial uint gss_verify_mic(uint* minor, IntPtr context, GssBuffer* message, GssBuffer* token, uint* qop);

    [LibraryImport(LibraryName)]
    public static partial uint gss_release_buffer(uint* minor, GssBuffer* buffer);

    [LibraryImport(LibraryName)]
    public static partial uint gss_display_status(
        uint* minor, uint statusValue, int statusType, GssOid* mechType, uint* messageContext, GssBuffer* statusString);

    /// <summary>
    /// Copies a completed krb5 context's keys and sequence numbers out as a lucid context of <paramref name="version"/>
    /// (1: <see cref="LucidContextV1"/>) and, on success only, deletes the context and sets the handle to GSS_C_NO_CONTEXT.
    /// </summary>
    [LibraryImport(LibraryName)]
    public static partial uint gss_krb5_export_lucid_sec_context(uint* minor, IntPtr* context, uint version, void** lucidContext);

    /// <summary>Clears and frees what gss_krb5_export_lucid_sec_context returned.</summary>
    [LibraryImport(LibraryName)]
    public static partial uint gss_krb5_free_lucid_sec_context(uint* minor, void* lucidContext);

    /// <summary>Frees a buffer MIT allocated (no-op for an empty one).</summary>
    public static void Release(ref GssBuffer buffer)
    {
        if (buffer.Value != null)
        {
            uint minor;
            fixed (GssBuffer* b = &buffer)
            {
                _ = gss_release_buffer(&minor, b);
            }
        }
    }
}
