namespace ActorAuth.Server.Authorization;

/// <summary>
/// One grant of the authorization file's <c>documents</c> list: principals matching any of <see cref="Principals"/>
/// may read the documents under any of <see cref="Paths"/> on an HTTP listener. A path is a prefix by whole
/// segments: <c>/private/</c> grants <c>/private/a.html</c>, <c>/a.html</c> grants that document, <c>/</c> grants all.
/// </summary>
public sealed record DocumentRule(IReadOnlyList<string> Principals, IReadOnlyList<string> Paths)
{
    /// <summary>True when the rule lets <paramref name="principal"/> read <paramref name="path"/> (absolute, normalized).</summary>
    public bool Grants(string principal, string path) => PrincipalPatterns.Match(Principals, principal) && Paths.Any(prefix => Covers(prefix, path));

    private static bool Covers(string prefix, string path) =>
        path.Equals(prefix, StringComparison.Ordinal)
        || (path.StartsWith(prefix, StringComparison.Ordinal) && (prefix.EndsWith('/') || path[prefix.Length] == '/'));
}
