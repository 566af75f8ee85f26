using ActorAuth.Hocon;
using Microsoft.Extensions.Configuration;

namespace ActorAuth.Server.Sessions;

/// <summary>
/// <c>actorauth.server.delegation</c>: the services the built-in <c>forward-whoami</c> may reach as the client.
/// Only <c>host:port</c> entries of <see cref="Targets"/> are dialled; any other target is denied before a
/// connection is made, so a delegating client cannot make the server connect anywhere. No targets (the default):
/// forward-whoami is not offered.
/// </summary>
/// <param name="Targets">Allowed <c>host:port</c> entries, compared case-insensitively.</param>
/// <param name="Timeout">How long connecting, authenticating to and asking a target may take together.</param>
/// <param name="ConstrainedAccount">
/// <c>constrained-account</c>: the service's account principal for Kerberos constrained delegation (S4U2Proxy), so
/// forward-whoami also works for clients that forward no TGT; null (absent or empty, the default): off.
/// </param>
public sealed record DelegationSettings(IReadOnlySet<string> Targets, TimeSpan Timeout, string? ConstrainedAccount = null)
{
    /// <summary>The configuration section.</summary>
    public const string Section = "actorauth:server:delegation";

    /// <summary>Reads the section; an entry that is not host:port is an error naming it.</summary>
    public static DelegationSettings From(IConfiguration configuration)
    {
        IConfigurationSection s = configuration.GetSection(Section);
        var targets = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string entry in s.GetSection("targets").GetChildren().Select(c => c.Value).OfType<string>())
        {
            targets.Add(DelegationTarget.TryParse(entry, out DelegationTarget? target, out string error)
                ? target.Address
                : throw new FormatException($"{Section}:targets: '{entry}': {error}"));
        }

        TimeSpan timeout = s.GetDuration("timeout", TimeSpan.FromSeconds(10));
        string? account = s["constrained-account"]?.Trim() is { Length: > 0 } a ? a : null;
        return timeout > TimeSpan.Zero ? new DelegationSettings(targets, timeout, account)
            : throw new FormatException($"{Section}:timeout: must be greater than zero.");
    }
}

/// <summary>A service to reach as the client: <c>host:port</c> (IPv6 in brackets) and, for a request, its SPN.</summary>
public sealed record DelegationTarget(string Host, int Port, string Spn)
{
    /// <summary>The <c>host:port</c> form the allow-list holds.</summary>
    public string Address => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    /// <summary>Parses <c>HOST:PORT</c> or <c>HOST:PORT SPN</c>; false with the reason when it is neither.</summary>
    public static bool TryParse(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DelegationTarget? target, out string error)
    {
        target = null;
        string[] parts = text.Trim().Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is 0 or > 2)
        {
            error = "expected HOST:PORT [SPN]";
            return false;
        }

        string address = parts[0];
        int colon = address.LastIndexOf(':');
        string host = colon > 0 ? address[..colon].Trim('[', ']') : string.Empty;
        if (host.Length == 0 || !int.TryParse(address.AsSpan(colon + 1), out int port) || port is < 1 or > 65535)
        {
            error = $"'{address}' is not HOST:PORT";
            return false;
        }

        error = string.Empty;
        target = new DelegationTarget(host, port, parts.Length == 2 ? parts[1] : string.Empty);
        return true;
    }
}
