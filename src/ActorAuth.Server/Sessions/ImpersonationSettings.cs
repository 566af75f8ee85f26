using Microsoft.Extensions.Configuration;

namespace ActorAuth.Server.Sessions;

/// <summary>
/// <c>actorauth.server.impersonation</c>: where the built-in <c>read-file</c> operation reads as the client, and
/// the dedicated threads impersonated work runs on. No root (the default): <c>read-file</c> is not offered.
/// </summary>
/// <param name="Root">The directory paths are resolved beneath; null when read-file is off.</param>
/// <param name="Threads">Dedicated threads that run impersonated work, one item at a time each.</param>
/// <param name="QueueLimit">Impersonated operations that may wait for a thread; past it a request fails at once ("try again").</param>
public sealed record ImpersonationSettings(string? Root, int Threads = 2, int QueueLimit = 256)
{
    /// <summary>The configuration section.</summary>
    public const string Section = "actorauth:server:impersonation";

    /// <summary>Reads the section; throws naming the key for a bad value.</summary>
    public static ImpersonationSettings From(IConfiguration configuration)
    {
        IConfigurationSection s = configuration.GetSection(Section);
        string? root = s["root"] is { Length: > 0 } r ? r : null;
        return new ImpersonationSettings(root, Int(s, "threads", 2, 1, 64), Int(s, "queue-limit", 256, 1, 1_000_000));
    }

    private static int Int(IConfigurationSection s, string key, int fallback, int min, int max) =>
        s[key] is not { } raw ? fallback
        : int.TryParse(raw, out int value) && value >= min && value <= max ? value
        : throw new FormatException($"{Section}:{key}: '{raw}' is not a whole number from {min} to {max}.");
}
