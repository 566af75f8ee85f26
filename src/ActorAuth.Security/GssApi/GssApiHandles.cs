using System.Runtime.InteropServices;

namespace ActorAuth.Security;

/// <summary>
/// Owns a gss_name_t: released with gss_release_name on dispose or, if forgotten, by the finalizer.
/// </summary>
internal sealed unsafe class GssNameHandle : SafeHandle
{
    public GssNameHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Imports <paramref name="name"/> as a name of <paramref name="nameType"/>; on failure returns the MIT status.</summary>
    public static GssNameHandle? Import(string name, GssApi.GssOid* nameType, out uint major, out uint minor)
    {
        int length = System.Text.Encoding.UTF8.GetByteCount(name);
        Span<byte> utf8 = length <= 256 ? stackalloc byte[length] : new byte[length];
        System.Text.Encoding.UTF8.GetBytes(name, utf8);
        var result = new GssNameHandle();
        IntPtr raw = IntPtr.Zero;
        uint minorStatus;
        fixed (byte* p = utf8)
        {
            var buffer = new GssApi.GssBuffer { Length = (nuint)length, Value = p };
            major = GssApi.gss_import_name(&minorStatus, &buffer, nameType, &raw);
        }

        minor = minorStatus;
        result.SetHandle(raw);
        if (GssApi.IsError(major))
        {
            result.Dispose();
            return null;
        }

        return result;
    }

    /// <summary>The display form of a raw name, e.g. alice@ACTORAUTH.TEST; empty if MIT cannot display it.</summary>
    public static string Display(IntPtr name)
    {
        uint minor;
        GssApi.GssBuffer text = default;
        try
        {
            uint major = GssApi.gss_display_name(&minor, name, &text, null);
            return GssApi.IsError(major) ? string.Empty : System.Text.Encoding.UTF8.GetString(text.AsSpan());
        }
        finally
        {
            GssApi.Release(ref text);
        }
    }

    /// <summary>Releases a raw name MIT returned (a source name from accept).</summary>
    public static void Release(IntPtr name)
    {
        if (name != IntPtr.Zero)
        {
            uint minor;
            _ = GssApi.gss_release_name(&minor, &name);
        }
    }

    protected override bool ReleaseHandle()
    {
        Release(handle);
        return true;
    }
}

/// <summary>
/// Owns a gss_cred_id_t. An acceptor credential is shared by every context made from it: each context holds a
/// reference (<see cref="SafeHandle.DangerousAddRef"/>), so disposing the factory frees it after the last one.
/// </summary>
internal sealed unsafe class GssCredentialHandle : SafeHandle
{
    public GssCredentialHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Takes ownership of a credential MIT returned.</summary>
    public void Attach(IntPtr credential) => SetHandle(credential);

    /// <summary>Releases a raw credential MIT returned that nobody will use (a delegated credential).</summary>
    public static void Release(IntPtr credential)
    {
        if (credential != IntPtr.Zero)
        {
            uint minor;
            _ = GssApi.gss_release_cred(&minor, &credential);
        }
    }

    protected override bool ReleaseHandle()
    {
        Release(handle);
        return true;
    }
}

/// <summary>
/// Owns a gss_ctx_id_t. MIT writes the handle on the first init/accept call and may reset it to
/// GSS_C_NO_CONTEXT when that call fails (it then frees the context itself), so the caller stores back
/// whatever value the call left with <see cref="Update"/>.
/// </summary>
internal sealed unsafe class GssContextHandle : SafeHandle
{
    public GssContextHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Records the handle an init/accept call left (possibly new, possibly GSS_C_NO_CONTEXT).</summary>
    public void Update(IntPtr context) => SetHandle(context);

    protected override bool ReleaseHandle()
    {
        uint minor;
        IntPtr context = handle;
        _ = GssApi.gss_delete_sec_context(&minor, &context, null);
        return true;
    }
}
