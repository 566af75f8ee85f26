using System.Globalization;
using ActorAuth.Hocon;
using Microsoft.Extensions.Configuration;

namespace ActorAuth.Server.Cluster;

/// <summary>What a node does when the cluster cannot answer a replay check in time.</summary>
public enum ReplayUnavailablePolicy
{
    /// <summary>Refuse the handshake (reason <c>cluster-unavailable</c>): no replay can slip through a partition.</summary>
    Refuse,

    /// <summary>Accept on the local checks alone (MIT's replay cache), with a warning and the <c>actorauth.cluster.replay.unchecked</c> metric.</summary>
    Accept,
}

/// <summary>
/// <c>actorauth.cluster</c>: whether this server is one node of an ActorAuth cluster, how it joins one, and the limits
/// the cluster enforces together. Off by default; a node with the cluster off behaves as a single server (its
/// session registry is its own). Akka.Remote's and Akka.Cluster's own settings stay in the <c>akka</c> section; the
/// keys here are the ones an operator of ActorAuth sets.
/// </summary>
public sealed record ClusterSettings
{
    /// <summary>The configuration section.</summary>
    public const string Section = "actorauth:cluster";

    /// <summary>The actor system name every node uses: Akka only joins systems of one name.</summary>
    public const string SystemName = "actorauth";

    /// <summary><c>enabled</c>: join (or form) a cluster and share the replay cache, the session registry and the limits.</summary>
    public bool Enabled { get; init; }

    /// <summary>
    /// <c>host</c> and <c>port</c>: where this node's Akka.Remote listens. With a port set ActorAuth forms the
    /// membership itself (Akka.Remote + Akka.Cluster with keep-majority); without one the host application's actor
    /// system is already a cluster (it called <c>WithClustering</c>) and ActorAuth uses it.
    /// </summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>This node's Akka.Remote port; null: the host application forms the cluster.</summary>
    public int? Port { get; init; }

    /// <summary><c>seed-nodes</c>: the nodes to join, as <c>host:port</c> or full <c>akka.tcp://actorauth@host:port</c> addresses.</summary>
    public IReadOnlyList<string> SeedNodes { get; init; } = [];

    /// <summary><c>roles</c>: this node's cluster roles.</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary><c>join-timeout</c>: how long start-up waits for this node to be Up in the cluster before it fails.</summary>
    public TimeSpan JoinTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>down-unreachable-after</c>: the split brain resolver's stable-after — how long a partition must hold before keep-majority downs the minority.</summary>
    public TimeSpan DownUnreachableAfter { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>replay-cache.timeout</c>: how long a handshake waits for a majority of the nodes to answer its replay check.</summary>
    public TimeSpan ReplayTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary><c>replay-cache.when-unavailable</c>: <c>refuse</c> (default) or <c>accept</c>.</summary>
    public ReplayUnavailablePolicy WhenUnavailable { get; init; } = ReplayUnavailablePolicy.Refuse;

    /// <summary>
    /// <c>replay-cache.window</c>: how long an entry is kept. An authenticator is acceptable while its time is within
    /// the clock skew of now, so one first seen at t can be replayed until t + 2 × skew: the default is twice MIT's
    /// default clockskew of 5 minutes.
    /// </summary>
    public TimeSpan ReplayWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// <c>replay-cache.batch-window</c>: how long a node gathers its handshakes' checks before it sends them to the others
    /// in one message. A remote message costs tens of µs of CPU at each end whatever it carries; under load a window of a
    /// few ms carries tens of checks per message, and it adds at most the window (rounded up to Akka's scheduler tick,
    /// 10 ms by default) to a handshake. 0: send at once (what is in the mailbox goes together).
    /// </summary>
    public TimeSpan ReplayBatchWindow { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// <c>replay-cache.max-entries</c>: a node holding this many answers "full", which refuses (fails closed) rather than
    /// forgets. Every node holds every tag of the window: size it to at least the cluster's handshakes a second × the
    /// window (5,000,000 = 8,333/s for 10 minutes; ~70 bytes an entry).
    /// </summary>
    public int ReplayMaxEntries { get; init; } = 5_000_000;

    /// <summary><c>max-sessions-per-principal</c>: authenticated sessions one principal may hold across the cluster; 0: unlimited.</summary>
    public int MaxSessionsPerPrincipal { get; init; }

    /// <summary><c>revoke-for</c>: after <c>sessions-revoke</c>, how long the principal's new handshakes are refused.</summary>
    public TimeSpan RevokeFor { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary><c>revoke-timeout</c>: how long a revoke waits for every node to confirm before it reports the ones that did not.</summary>
    public TimeSpan RevokeTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary><c>gossip-interval</c>: how often a node sends its session changes and per-address connection counts to the others.</summary>
    public TimeSpan GossipInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The seed nodes as Akka addresses.</summary>
    public IReadOnlyList<string> SeedAddresses => [.. SeedNodes.Select(AkkaAddress)];

    /// <summary>Reads the section; a bad value is an error naming its key.</summary>
    public static ClusterSettings From(IConfiguration configuration)
    {
        IConfigurationSection s = configuration.GetSection(Section);
        var defaults = new ClusterSettings();
        string? port = s["port"];
        var settings = new ClusterSettings
        {
            Enabled = s.GetBoolean("enabled", false),
            Host = s["host"] is { Length: > 0 } host ? host : defaults.Host,
            Port = string.IsNullOrWhiteSpace(port) ? null
                : int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int p) && p is >= 0 and <= 65535 ? p
                : throw new FormatException($"{Section}:port: '{port}' is not a port number."),
            SeedNodes = Strings(s.GetSection("seed-nodes")),
            Roles = Strings(s.GetSection("roles")),
            JoinTimeout = Positive(s, "join-timeout", defaults.JoinTimeout),
            DownUnreachableAfter = Positive(s, "down-unreachable-after", defaults.DownUnreachableAfter),
            ReplayTimeout = Positive(s, "replay-cache:timeout", defaults.ReplayTimeout),
            WhenUnavailable = s["replay-cache:when-unavailable"]?.Trim().ToLowerInvariant() switch
            {
                null or "" or "refuse" => ReplayUnavailablePolicy.Refuse,
                "accept" => ReplayUnavailablePolicy.Accept,
                var other => throw new FormatException($"{Section}:replay-cache:when-unavailable: '{other}' is neither refuse nor accept."),
            },
            ReplayWindow = Positive(s, "replay-cache:window", defaults.ReplayWindow),
            ReplayBatchWindow = s.GetDuration("replay-cache:batch-window", defaults.ReplayBatchWindow) is var batch && batch >= TimeSpan.Zero ? batch
                : throw new FormatException($"{Section}:replay-cache:batch-window: must be zero or more."),
            ReplayMaxEntries = NonNegative(s, "replay-cache:max-entries", defaults.ReplayMaxEntries) is > 0 and var max ? max
                : throw new FormatException($"{Section}:replay-cache:max-entries: must be greater than zero."),
            MaxSessionsPerPrincipal = NonNegative(s, "max-sessions-per-principal", 0),
            RevokeFor = Positive(s, "revoke-for", defaults.RevokeFor),
            RevokeTimeout = Positive(s, "revoke-timeout", defaults.RevokeTimeout),
            GossipInterval = Positive(s, "gossip-interval", defaults.GossipInterval),
        };
        foreach (string seed in settings.SeedNodes)
        {
            _ = AkkaAddress(seed);
        }

        return settings;
    }

    /// <summary><c>host:port</c> → <c>akka.tcp://actorauth@host:port</c>; a full address passes unchanged.</summary>
    public static string AkkaAddress(string seed)
    {
        string text = seed.Trim();
        if (text.StartsWith("akka.tcp://", StringComparison.Ordinal))
        {
            return text;
        }

        int colon = text.LastIndexOf(':');
        return colon > 0 && ushort.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out ushort port) && port > 0
            ? $"akka.tcp://{SystemName}@{text[..colon]}:{port}"
            : throw new FormatException($"{Section}:seed-nodes: '{seed}' is neither host:port nor an akka.tcp:// address.");
    }

    private static TimeSpan Positive(IConfiguration s, string key, TimeSpan fallback) =>
        s.GetDuration(key, fallback) is var value && value > TimeSpan.Zero ? value
            : throw new FormatException($"{Section}:{key}: must be greater than zero.");

    private static int NonNegative(IConfiguration s, string key, int fallback) =>
        s[key] is not { Length: > 0 } text ? fallback
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) ? value
            : throw new FormatException($"{Section}:{key}: '{text}' is not a whole number of zero or more.");

    private static string[] Strings(IConfigurationSection list) =>
        [.. list.GetChildren().Select(c => c.Value).OfType<string>().Where(v => v.Length > 0)];
}
