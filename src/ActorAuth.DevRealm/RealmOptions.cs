using System.Diagnostics.CodeAnalysis;

namespace ActorAuth.DevRealm;

/// <summary>
/// Describes the throwaway MIT Kerberos realm that <see cref="DevRealm.UpAsync"/> creates or reuses.
/// Everything the realm needs (configuration, database, stash, keytab, passwords, logs, pid file)
/// lives under <see cref="Directory"/>, so the realm is relocatable and never touches system files.
/// </summary>
public sealed record RealmOptions
{
    /// <summary>Creates options with every default, for object initializers (which must set <see cref="Directory"/>).</summary>
    public RealmOptions()
    {
    }

    /// <summary>Creates options for the realm kept in <paramref name="directory"/> (made absolute).</summary>
    /// <param name="directory">The realm directory, for example <c>.actorauth/realm</c>.</param>
    [SetsRequiredMembers]
    public RealmOptions(string directory)
    {
        Directory = directory;
    }

    /// <summary>
    /// The directory that holds the realm, for example <c>.actorauth/realm</c>.
    /// Always absolute: a relative value is resolved against the current directory when set,
    /// because the paths end up in krb5 profiles and environment variables read by other processes.
    /// </summary>
    public required string Directory
    {
        get;
        init => field = Path.GetFullPath(value);
    }

    /// <summary>The Kerberos realm name; upper case by convention. Defaults to <c>ACTORAUTH.TEST</c>.</summary>
    public string RealmName { get; init; } = "ACTORAUTH.TEST";

    /// <summary>
    /// Service principals (without realm) whose keys are exported to the realm's keytab.
    /// Defaults to <c>actorauth/localhost</c>, the principal the ActorAuth server accepts as, and <c>HTTP/localhost</c>,
    /// the one browsers, curl and .NET's HttpClient ask for at <c>http://localhost</c> (RFC 4559).
    /// </summary>
    public IReadOnlyList<string> ServicePrincipals { get; init; } = ["actorauth/localhost", "HTTP/localhost"];

    /// <summary>
    /// User principals (without realm) created with random passwords stored in <c>&lt;user&gt;.password</c>.
    /// Defaults to <c>alice</c> and <c>bob</c>.
    /// </summary>
    public IReadOnlyList<string> Users { get; init; } = ["alice", "bob"];
}
