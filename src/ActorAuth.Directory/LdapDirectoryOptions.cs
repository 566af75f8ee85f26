using System.Net;

namespace ActorAuth.Directory;

/// <summary>How <see cref="LdapDirectoryBackend"/> reaches Active Directory (or Samba AD) and as whom.</summary>
public sealed record LdapDirectoryOptions
{
    /// <summary>The domain controller's host name or address.</summary>
    public required string Server { get; init; }

    /// <summary>The LDAP port: 389 (plain or StartTLS) or 636 (LDAPS).</summary>
    public int Port { get; init; } = 389;

    /// <summary>The domain's DN, for example <c>DC=corp,DC=example</c>: where accounts, SPN owners and SCPs are searched.</summary>
    public required string BaseDn { get; init; }

    /// <summary>The service account's <c>sAMAccountName</c>, for example <c>svc-actorauth</c> (a computer account ends in <c>$</c>).</summary>
    public required string AccountName { get; init; }

    /// <summary>How to bind.</summary>
    public LdapBindMode BindMode { get; init; } = LdapBindMode.Kerberos;

    /// <summary>
    /// For <see cref="LdapBindMode.Simple"/>: the account's UPN or DN and password. For <see cref="LdapBindMode.Kerberos"/>:
    /// null to use the process's Kerberos credentials (its ticket cache or client keytab), as a service does.
    /// </summary>
    public NetworkCredential? Credential { get; init; }

    /// <summary>Transport security for the connection.</summary>
    public LdapTransport Transport { get; init; } = LdapTransport.Plain;

    /// <summary>Where the SCP goes; null means under the service account's own object (the computer object, for a computer account).</summary>
    public string? ScpContainerDn { get; init; }

    /// <summary>How long one LDAP operation (including connecting) may take before the directory counts as unreachable.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>How <see cref="LdapDirectoryBackend"/> authenticates to the directory.</summary>
public enum LdapBindMode
{
    /// <summary>SASL GSS-SPNEGO/GSSAPI with the service's own Kerberos credentials (Negotiate).</summary>
    Kerberos,

    /// <summary>A simple bind with a name and password: over StartTLS or LDAPS, or plain LDAP where the server allows it.</summary>
    Simple,
}

/// <summary>The transport security of an LDAP connection.</summary>
public enum LdapTransport
{
    /// <summary>Plain LDAP; with Kerberos binds the SASL layer signs and seals, with simple binds nothing protects the password.</summary>
    Plain,

    /// <summary>Plain LDAP upgraded with the StartTLS extended operation before binding.</summary>
    StartTls,

    /// <summary>LDAP over TLS from the first byte (port 636).</summary>
    Ldaps,
}
