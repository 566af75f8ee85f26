namespace ActorAuth.Security;

/// <summary>Who protects a completed GSSAPI (MIT) context's messages.</summary>
public enum MessageProtection
{
    /// <summary>
    /// RFC 4121 in .NET (AES through System.Security.Cryptography, AES-NI where the CPU has it): the context's keys and
    /// sequence numbers are exported from MIT once and MIT's context freed. Applies to the AES enctypes; any other
    /// keeps MIT's context. The default.
    /// </summary>
    Managed,

    /// <summary>MIT's gss_wrap/gss_unwrap/gss_get_mic/gss_verify_mic on its own context, for the whole session.</summary>
    GssApi,
}
