namespace ActorAuth.Security;

/// <summary>Which implementation of the security package backs a context.</summary>
public enum SecurityProvider
{
    /// <summary>MIT GSSAPI called directly where it is available (Linux), else <see cref="NegotiateAuthentication"/>.</summary>
    Auto,

    /// <summary>MIT's libgssapi_krb5 through P/Invoke: the acceptor credential is acquired once, failures keep MIT's reason text, and error tokens (KRB-ERROR) reach the peer.</summary>
    GssApi,

    /// <summary>System.Net.Security.NegotiateAuthentication: SSPI on Windows, GSSAPI on Linux; portable.</summary>
    NegotiateAuthentication,
}
