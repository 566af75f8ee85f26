using System.Text;

namespace ActorAuth.Security;

/// <summary>
/// Turns an MIT (major, minor) status into a <see cref="SecurityStatus"/>: a code chosen from the major
/// status's routine error (and, for GSS_S_FAILURE, from the krb5 minor code), and a sentence of the form
/// "&lt;what it means&gt; (MIT: &lt;major text&gt;; &lt;minor text&gt;)" so the log carries MIT's own words.
/// Must be called on the thread that made the failing call, right after it: MIT keeps the extended minor
/// text (e.g. the principal a keytab lacks) per thread.
/// <para>
/// Choices: clock skew, an expired or not-yet-valid ticket, and an expired password are
/// <see cref="SecurityStatusCode.CredentialsExpired"/> (the ticket or authenticator is outside its validity
/// window as this host's clock sees it; <see cref="SecurityStatusCode.ContextExpired"/> is kept for an
/// established context outliving its ticket). A ticket for a key this service does not hold (no keytab entry,
/// wrong key version, "ticket isn't for us", integrity failure of the ticket) and a wrong password are
/// <see cref="SecurityStatusCode.InvalidCredentials"/>; an unknown client or no ticket cache is
/// <see cref="SecurityStatusCode.UnknownCredentials"/>; a server principal the KDC does not know is
/// <see cref="SecurityStatusCode.TargetUnknown"/>; a replayed AP-REQ is <see cref="SecurityStatusCode.OutOfSequence"/>.
/// </para>
/// </summary>
internal static unsafe class GssApiStatus
{
    // krb5 com_err codes (ERROR_TABLE_BASE_krb5 = -1765328384), checked against libkrb5's error_message.
    private const int Krb5Base = -1765328384;
    private const uint ClientUnknown = unchecked((uint)(Krb5Base + 6));       // KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN
    private const uint ServerUnknown = unchecked((uint)(Krb5Base + 7));       // KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN
    private const uint ClientRevoked = unchecked((uint)(Krb5Base + 18));      // KRB5KDC_ERR_CLIENT_REVOKED
    private const uint PasswordExpired = unchecked((uint)(Krb5Base + 23));    // KRB5KDC_ERR_KEY_EXP
    private const uint PreauthFailed = unchecked((uint)(Krb5Base + 24));      // KRB5KDC_ERR_PREAUTH_FAILED
    private const uint BadIntegrity = unchecked((uint)(Krb5Base + 31));       // KRB5KRB_AP_ERR_BAD_INTEGRITY
    private const uint TicketExpired = unchecked((uint)(Krb5Base + 32));      // KRB5KRB_AP_ERR_TKT_EXPIRED
    private const uint TicketNotYetValid = unchecked((uint)(Krb5Base + 33));  // KRB5KRB_AP_ERR_TKT_NYV
    private const uint Repeat = unchecked((uint)(Krb5Base + 34));             // KRB5KRB_AP_ERR_REPEAT
    private const uint NotUs = unchecked((uint)(Krb5Base + 35));              // KRB5KRB_AP_ERR_NOT_US
    private const uint Skew = unchecked((uint)(Krb5Base + 37));               // KRB5KRB_AP_ERR_SKEW
    private const uint Modified = unchecked((uint)(Krb5Base + 41));           // KRB5KRB_AP_ERR_MODIFIED
    private const uint BadKeyVersion = unchecked((uint)(Krb5Base + 44));      // KRB5KRB_AP_ERR_BADKEYVER
    private const uint NoKey = unchecked((uint)(Krb5Base + 45));              // KRB5KRB_AP_ERR_NOKEY
    private const uint WrongPrincipal = unchecked((uint)(Krb5Base + 144));    // KRB5KRB_AP_WRONG_PRINC
    private const uint KdcUnknownForRealm = unchecked((uint)(Krb5Base + 154)); // KRB5_REALM_CANT_RESOLVE
    private const uint KdcUnreachable = unchecked((uint)(Krb5Base + 156));    // KRB5_KDC_UNREACH
    private const uint CacheEntryNotFound = unchecked((uint)(Krb5Base + 141)); // KRB5_CC_NOTFOUND
    private const uint RcacheReplay = unchecked((uint)(Krb5Base + 163));      // KRB5_RC_REPLAY
    private const uint KeytabNotFound = unchecked((uint)(Krb5Base + 181));    // KRB5_KT_NOTFOUND
    private const uint NoCredentialCache = unchecked((uint)(Krb5Base + 195)); // KRB5_FCC_NOFILE
    private const uint KeytabKvnoNotFound = unchecked((uint)(Krb5Base + 230)); // KRB5_KT_KVNONOTFOUND

    /// <summary>
    /// Maps a failed call's status; <paramref name="major"/> must be an error. When MIT says only "failure" and
    /// <paramref name="kerberosError"/> (the token the context produced or received) carries a KRB-ERROR, its
    /// error-code classifies the failure instead: under SPNEGO MIT renumbers the minor status.
    /// </summary>
    public static SecurityStatus FromError(uint major, uint minor, ReadOnlySpan<byte> kerberosError = default)
    {
        (SecurityStatusCode code, string meaning) = Classify(major, minor);
        if (code == SecurityStatusCode.Failure && KerberosErrorToken.TryReadErrorCode(kerberosError, out int errorCode))
        {
            (code, meaning) = ClassifyKerberos(unchecked((uint)(Krb5Base + errorCode)));
        }

        return new(code, $"{meaning} (MIT: {Describe(major, minor)})");
    }

    /// <summary>Maps the supplementary bits of a wrap token that verified but is a replay or out of order.</summary>
    public static SecurityStatus FromSupplementary(uint major, uint minor)
    {
        string which = (major & GssApi.DuplicateToken) != 0 ? "replayed: this message was already received"
            : (major & GssApi.OldToken) != 0 ? "replayed or too old: it is older than the replay window"
            : (major & GssApi.UnseqToken) != 0 ? "out of order: a later message was already received"
            : "gap: a message is missing before this one";
        return new(SecurityStatusCode.OutOfSequence, $"the message is {which} (MIT: {Describe(major, minor)})");
    }

    /// <summary>MIT's text for both halves of a status: "&lt;major text&gt;; &lt;minor text&gt;".</summary>
    public static string Describe(uint major, uint minor)
    {
        var text = new StringBuilder();
        Append(text, major, GssApi.GssCode);
        if (minor != 0)
        {
            text.Append("; ");
            Append(text, minor, GssApi.MechCode);
        }

        return text.ToString();
    }

    private static (SecurityStatusCode, string) Classify(uint major, uint minor) => ((major & GssApi.RoutineErrorMask) >> 16) switch
    {
        0 => (SecurityStatusCode.Failure, "the security package was called incorrectly"),
        1 => (SecurityStatusCode.InvalidToken, "the peer's token is for a mechanism this side does not accept"),
        2 or 3 => (SecurityStatusCode.TargetUnknown, "the name is malformed or of a type the mechanism does not support"),
        4 => (SecurityStatusCode.BadBinding, "the channel binding did not match"),
        6 => (SecurityStatusCode.MessageAltered, "the message failed its integrity check (tampered, or the wrong key)"),
        7 => (SecurityStatusCode.UnknownCredentials, "no usable credentials (no keytab entry for the service, or no ticket cache for the client)"),
        8 => (SecurityStatusCode.Failure, "the security context is not valid"),
        9 => (SecurityStatusCode.InvalidToken, "the peer's token is malformed or not for this security package"),
        10 => (SecurityStatusCode.InvalidCredentials, "the credentials were rejected"),
        11 => (SecurityStatusCode.CredentialsExpired, "the credentials have expired"),
        12 => (SecurityStatusCode.ContextExpired, "the security context has expired"),
        13 => ClassifyKerberos(minor),
        14 => (SecurityStatusCode.Unsupported, "the requested quality of protection is not supported"),
        15 => (SecurityStatusCode.InvalidCredentials, "the operation is not authorized"),
        16 => (SecurityStatusCode.Unsupported, "the operation or mechanism is not available"),
        _ => (SecurityStatusCode.Failure, "the security package failed"),
    };

    private static (SecurityStatusCode, string) ClassifyKerberos(uint minor) => minor switch
    {
        Skew => (SecurityStatusCode.CredentialsExpired, "the clocks of client and service differ by more than the allowed skew; fix time synchronisation"),
        TicketExpired => (SecurityStatusCode.CredentialsExpired, "the service ticket has expired"),
        TicketNotYetValid => (SecurityStatusCode.CredentialsExpired, "the service ticket is not yet valid (clock skew?)"),
        PasswordExpired => (SecurityStatusCode.CredentialsExpired, "the user's password has expired"),
        NotUs or NoKey or KeytabNotFound or KeytabKvnoNotFound or WrongPrincipal or BadKeyVersion =>
            (SecurityStatusCode.InvalidCredentials, "the ticket is for a key this service does not hold (keytab missing the principal or its current key version)"),
        Modified or BadIntegrity => (SecurityStatusCode.InvalidCredentials, "the ticket could not be decrypted: the service's key differs from the KDC's (stale keytab?)"),
        PreauthFailed => (SecurityStatusCode.InvalidCredentials, "the KDC rejected the password"),
        ClientRevoked => (SecurityStatusCode.InvalidCredentials, "the client's credentials have been revoked (account locked or disabled)"),
        ClientUnknown => (SecurityStatusCode.UnknownCredentials, "the KDC does not know the client principal"),
        NoCredentialCache or CacheEntryNotFound => (SecurityStatusCode.UnknownCredentials, "no usable ticket: the credential cache is missing or empty (run kinit)"),
        ServerUnknown => (SecurityStatusCode.TargetUnknown, "the KDC does not know the target service principal"),
        Repeat or RcacheReplay => (SecurityStatusCode.OutOfSequence, "the authenticator is a replay of one already accepted"),
        KdcUnreachable or KdcUnknownForRealm => (SecurityStatusCode.Failure, "no KDC of the realm could be reached"),
        _ => (SecurityStatusCode.Failure, "the security package failed"),
    };

    private static void Append(StringBuilder text, uint status, int type)
    {
        uint context = 0;
        int start = text.Length;
        do
        {
            uint minor;
            GssApi.GssBuffer message = default;
            try
            {
                uint major = GssApi.gss_display_status(&minor, status, type, null, &context, &message);
                if (GssApi.IsError(major))
                {
                    text.Append(type == GssApi.GssCode ? "major 0x" : "minor ").Append(status.ToString(type == GssApi.GssCode ? "X8" : "D", null));
                    return;
                }

                if (text.Length > start)
                {
                    text.Append(", ");
                }

                text.Append(Encoding.UTF8.GetString(message.AsSpan()));
            }
            finally
            {
                GssApi.Release(ref message);
            }
        }
        while (context != 0);
    }
}
