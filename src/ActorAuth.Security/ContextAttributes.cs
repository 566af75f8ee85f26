namespace ActorAuth.Security;

/// <summary>
/// The attributes of an established security context, in the seed's terms (ASC_RET_* / ISC_RET_*,
/// GSS_C_*_FLAG): what the package agreed to provide for this context.
/// </summary>
[Flags]
public enum ContextAttributes
{
    /// <summary>No attributes.</summary>
    None = 0,

    /// <summary>Each side proved its identity to the other (ASC_RET_MUTUAL_AUTH).</summary>
    MutualAuthentication = 1,

    /// <summary>Messages can be signed (ASC_RET_INTEGRITY).</summary>
    Integrity = 2,

    /// <summary>Messages can be encrypted (ASC_RET_CONFIDENTIALITY).</summary>
    Confidentiality = 4,

    /// <summary>The client allowed the service to delegate its credentials (ASC_RET_DELEGATE).</summary>
    Delegation = 8,

    /// <summary>The client allowed identification only, not impersonation (ASC_RET_IDENTIFY).</summary>
    Identification = 16,
}
