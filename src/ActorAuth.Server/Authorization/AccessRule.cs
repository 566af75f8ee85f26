namespace ActorAuth.Server.Authorization;

/// <summary>
/// One grant of the authorization file: principals matching any of <see cref="Principals"/> may invoke the
/// <see cref="Operations"/>. A principal pattern is an exact principal (<c>alice@ACTORAUTH.TEST</c>), a realm
/// (<c>*@ACTORAUTH.TEST</c>) or <c>*</c> (any authenticated principal); an operation is a name or <c>*</c>.
/// Principals compare exactly (Kerberos names are case-sensitive).
/// </summary>
public sealed record AccessRule(IReadOnlyList<string> Principals, IReadOnlyList<string> Operations)
{
    /// <summary>True when <paramref name="principal"/> matches one of the patterns.</summary>
    public bool Matches(string principal) => PrincipalPatterns.Match(Principals, principal);

    /// <summary>True when the rule grants <paramref name="operation"/>.</summary>
    public bool Grants(string operation) => Operations.Contains("*") || Operations.Contains(operation);
}

/// <summary>The authorization file's principal patterns: exact, <c>*@REALM</c>, or <c>*</c>.</summary>
public static class PrincipalPatterns
{
    /// <summary>True when <paramref name="principal"/> matches one of <paramref name="patterns"/>.</summary>
    public static bool Match(IReadOnlyList<string> patterns, string principal)
    {
        foreach (string pattern in patterns)
        {
            if (pattern == "*" || pattern == principal
                || (pattern.StartsWith("*@", StringComparison.Ordinal) && principal.EndsWith(pattern[1..], StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }
}
