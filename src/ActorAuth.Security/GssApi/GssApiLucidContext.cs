using ActorAuth.Security.Kerberos;

namespace ActorAuth.Security;

/// <summary>
/// Takes the RFC 4121 state (keys, sequence numbers, role) out of a completed MIT krb5 context with
/// <c>gss_krb5_export_lucid_sec_context</c>, so that message protection can continue in managed code.
/// <para>
/// Exporting consumes the context: on success MIT deletes it and the handle becomes GSS_C_NO_CONTEXT, so
/// nothing can be asked of it afterwards (no gss_wrap, gss_inquire_context, gss_display_name). The caller
/// takes what it needs first: the peer's name, the flags and the negotiated mechanism.
/// </para>
/// <para>
/// A context negotiated through SPNEGO exports too: when SPNEGO completes, MIT's mechglue puts the krb5
/// context it negotiated in place of the SPNEGO one.
/// </para>
/// </summary>
internal static unsafe class GssApiLucidContext
{
    /// <summary>The lucid context version asked for: <see cref="GssApi.LucidContextV1"/>.</summary>
    private const uint Version = 1;

    /// <summary>
    /// Exports <paramref name="context"/> (which must be complete and Kerberos) and returns its state with the
    /// keys copied into managed arrays, the caller's to clear (<see cref="LucidContext.ClearKeys"/>); MIT's copy
    /// is cleared and freed before this returns. Once MIT has exported, <paramref name="context"/> holds no context
    /// any more (disposing it deletes nothing); when MIT refuses (an incomplete or non-Kerberos context) it is
    /// unchanged. On failure the result is null and <paramref name="status"/> says why.
    /// </summary>
    public static LucidContext? Export(GssContextHandle context, out SecurityStatus status)
    {
        if (context.IsInvalid)
        {
            status = new(SecurityStatusCode.Failure, "there is no security context to export: it was never started, it failed, or it was already exported");
            return null;
        }

        bool referenced = false;
        void* exported = null;
        try
        {
            // A disposed handle throws here rather than hand MIT a deleted context; a racing Dispose waits for us.
            context.DangerousAddRef(ref referenced);
            IntPtr raw = context.DangerousGetHandle();
            uint minor;
            uint major = GssApi.gss_krb5_export_lucid_sec_context(&minor, &raw, Version, &exported);

            // MIT has deleted the context when it succeeded (raw is now GSS_C_NO_CONTEXT): record that, so the
            // handle does not delete it a second time.
            context.Update(raw);
            if (GssApi.IsError(major))
            {
                status = new(
                    SecurityStatusCode.Failure,
                    $"the security context could not be exported: it is not an established Kerberos context (MIT: {GssApiStatus.Describe(major, minor)})");
                return null;
            }

            return Copy((GssApi.LucidContextV1*)exported, out status);
        }
        finally
        {
            if (exported != null)
            {
                uint minor;
                _ = GssApi.gss_krb5_free_lucid_sec_context(&minor, exported);
            }

            if (referenced)
            {
                context.DangerousRelease();
            }
        }
    }

    private static LucidContext? Copy(GssApi.LucidContextV1* lucid, out SecurityStatus status)
    {
        if (lucid->Version != Version)
        {
            status = new(SecurityStatusCode.Failure, $"MIT exported a lucid context of version {lucid->Version}, not {Version}");
            return null;
        }

        if (lucid->Protocol > 1)
        {
            status = new(SecurityStatusCode.Unsupported, $"MIT exported a context of unknown protocol {lucid->Protocol}");
            return null;
        }

        // Protocol 0 (RFC 1964) keeps its single key in rfc1964_kd; protocol 1 (RFC 4121) in cfx_kd.
        bool cfx = lucid->Protocol == 1;
        GssApi.LucidKey contextKey = cfx ? lucid->Cfx.ContextKey : lucid->Rfc1964.ContextKey;
        bool haveAcceptorSubkey = cfx && lucid->Cfx.HaveAcceptorSubkey != 0;
        status = SecurityStatus.Completed;
        return new LucidContext(
            IsInitiator: lucid->Initiate != 0,
            SendSequence: lucid->SendSequence,
            ReceiveSequence: lucid->ReceiveSequence,
            Protocol: (int)lucid->Protocol,
            HaveAcceptorSubkey: haveAcceptorSubkey,
            ContextKeyType: unchecked((int)contextKey.Type),
            ContextKey: contextKey.AsSpan().ToArray(),
            AcceptorSubkeyType: haveAcceptorSubkey ? unchecked((int)lucid->Cfx.AcceptorSubkey.Type) : 0,
            AcceptorSubkey: haveAcceptorSubkey ? lucid->Cfx.AcceptorSubkey.AsSpan().ToArray() : []);
    }
}
