namespace ActorAuth.Security;

/// <summary>The security packages ActorAuth negotiates with, by the names SSPI and NegotiateAuthentication use.</summary>
public static class SecurityPackages
{
    /// <summary>SPNEGO (RFC 4178): negotiates Kerberos between peers that both offer it. The default.</summary>
    public const string Negotiate = "Negotiate";

    /// <summary>Raw Kerberos v5 GSS-API tokens (RFC 4121), no SPNEGO wrapping.</summary>
    public const string Kerberos = "Kerberos";

    /// <summary>The packages a listener may be configured with.</summary>
    public static IReadOnlyList<string> All { get; } = [Negotiate, Kerberos];

    /// <summary>Returns the canonical spelling of <paramref name="name"/>, or throws naming the allowed values.</summary>
    public static string Canonical(string name) =>
        All.FirstOrDefault(p => string.Equals(p, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown security package '{name}'; expected one of: {string.Join(", ", All)}.", nameof(name));
}
