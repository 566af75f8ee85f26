using System.Net;
using System.Net.Security;
using ActorAuth.Hocon;
using ActorAuth.Protocol;
using ActorAuth.Security;
using Microsoft.Extensions.Configuration;

namespace ActorAuth.Server;

/// <summary>
/// The server's settings, read from the <c>actorauth.server</c> section of the HOCON configuration
/// (see <c>config/reference.conf</c> for every key, its default and its meaning). Every limit has a safe default.
/// </summary>
public sealed record ServerOptions
{
    /// <summary>The configuration section these options are read from.</summary>
    public const string Section = "actorauth:server";

    /// <summary>Address to listen on; loopback by default, so a dev server is never exposed by accident.</summary>
    public IPAddress Host { get; init; } = IPAddress.Loopback;

    /// <summary>TCP port; 2000 as in the sockauth sample. 0 picks a free port (tests).</summary>
    public int Port { get; init; } = 2000;

    /// <summary>Pending-connection queue length handed to listen(); the kernel caps it at somaxconn.</summary>
    public int Backlog { get; init; } = 4096;

    /// <summary>Security package to accept: Negotiate (default) or Kerberos.</summary>
    public string Package { get; init; } = SecurityPackages.Negotiate;

    /// <summary>Which implementation of the security package to use: auto (default), gssapi or negotiate-authentication.</summary>
    public SecurityProvider SecurityProvider { get; init; } = SecurityProvider.Auto;

    /// <summary>Least protection a context must offer. EncryptAndSign by default.</summary>
    public ProtectionLevel RequiredProtectionLevel { get; init; } = ProtectionLevel.EncryptAndSign;

    /// <summary>Largest frame accepted (handshake tokens and protected messages alike); larger declared lengths are refused before any allocation.</summary>
    public int MaxFrameLength { get; init; } = FrameCodec.DefaultMaxFrameLength;

    /// <summary>How long a handshake may wait for the client's next token before the connection is torn down.</summary>
    public TimeSpan HandshakeReceiveTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest a whole handshake may take from accept, however the client paces its bytes (a trickling client is torn down).</summary>
    public TimeSpan HandshakeDeadline { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Open connections beyond which new ones are refused at once (and counted), never queued.</summary>
    public int MaxConnections { get; init; } = 10_000;

    /// <summary>Handshakes in progress beyond which new connections are refused at once, so a flood of unauthenticated connections cannot starve sessions.</summary>
    public int MaxConcurrentHandshakes { get; init; } = 1_024;

    /// <summary>New connections per second one remote address may open (a token bucket); 0 turns the limit off.</summary>
    public int PerAddressConnectionRate { get; init; } = 500;

    /// <summary>Burst of new connections one remote address may open at once.</summary>
    public int PerAddressConnectionBurst { get; init; } = 1_000;

    /// <summary>On shutdown, how long handshakes in progress may take to finish before every connection is closed.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Most tokens a handshake may take: Kerberos needs 1, SPNEGO 1–2; a client that goes on is torn down.</summary>
    public int MaxHandshakeLegs { get; init; } = 8;

    /// <summary>How long an authenticated session may stay idle before it is closed.</summary>
    public TimeSpan SessionIdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long one send (handshake token or reply) may make no progress — the client not reading — before the connection is ended with reason send-timeout.</summary>
    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Who protects a session's messages after a GSSAPI handshake: managed RFC 4121 (default) or MIT's gssapi.</summary>
    public MessageProtection MessageProtection { get; init; } = MessageProtection.Managed;

    /// <summary>How long a session waits for an operation served by an actor (<see cref="Sessions.ActorOperationHandler"/>) before it answers the client that the operation did not answer.</summary>
    public TimeSpan HandlerTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest message (request or reply plaintext) a session carries; a data frame is allowed this plus the wrap token's overhead.</summary>
    public int MaxMessageLength { get; init; } = 1024 * 1024;

    /// <summary>The SPN the service authenticates as, reported to clients in the greeting.</summary>
    public string ServicePrincipal { get; init; } = "actorauth/localhost";

    /// <summary>The operation a request with an empty operation name invokes.</summary>
    public string DefaultOperation { get; init; } = "echo";

    /// <summary>
    /// The load balancers that put a PROXY protocol header (v2 or v1) before their clients' bytes: a connection from one
    /// of these networks must begin with one (else it is refused), and the client it names is the connection's remote
    /// address from then on (logs, limits, sessions). Empty (the default): the PROXY protocol is off, and a header
    /// from anyone not listed is refused (reason untrusted-proxy).
    /// </summary>
    public IReadOnlyList<IPNetwork> TrustedProxies { get; init; } = Array.Empty<IPNetwork>();

    /// <summary>Largest PROXY header a trusted proxy may send (its v2 TLVs included); a longer one is refused before it is buffered.</summary>
    public int MaxProxyHeaderLength { get; init; } = ProxyHeader.DefaultMaxLength;

    /// <summary>Bytes a wrap token adds to a message (RFC 4121: 16-byte header, encrypted header copy, confounder, checksum), with room to spare.</summary>
    public const int WrapOverhead = 512;

    /// <summary>The largest data-phase frame: the largest message, its request header and the wrap overhead.</summary>
    public int MaxSessionFrameLength => MaxMessageLength + 1 + 255 + WrapOverhead;

    /// <summary>Reads the options from <paramref name="configuration"/>, defaults for what is absent; throws naming the key for a bad value.</summary>
    public static ServerOptions From(IConfiguration configuration) => FromSection(configuration.GetSection(Section), Section);

    /// <summary>Reads the options from the keys of <paramref name="s"/>; a bad value's error names it under <paramref name="name"/>.</summary>
    internal static ServerOptions FromSection(IConfiguration s, string name)
    {
        var defaults = new ServerOptions();
        var read = new Reader(s, name);
        string host = s["host"] ?? defaults.Host.ToString();
        return new ServerOptions
        {
            Host = host == "localhost" ? IPAddress.Loopback
                : IPAddress.TryParse(host, out IPAddress? address) ? address
                : throw new FormatException($"{name}:host: '{host}' is not an IP address."),
            Port = read.Int("port", defaults.Port, 0, 65535),
            Backlog = read.Int("backlog", defaults.Backlog, 1, 1 << 20),
            Package = SecurityPackages.Canonical(s["package"] ?? defaults.Package),
            SecurityProvider = SecurityProviderFrom(s["security-provider"]) ?? defaults.SecurityProvider,
            RequiredProtectionLevel = ProtectionLevelFrom(s["protection-level"]) ?? defaults.RequiredProtectionLevel,
            MaxFrameLength = (int)Math.Clamp(s.GetByteSize("max-frame", defaults.MaxFrameLength), 1, 64L * 1024 * 1024),
            HandshakeReceiveTimeout = read.Positive("handshake:receive-timeout", defaults.HandshakeReceiveTimeout),
            MaxHandshakeLegs = read.Int("handshake:max-legs", defaults.MaxHandshakeLegs, 1, 100),
            HandshakeDeadline = read.Positive("handshake:deadline", defaults.HandshakeDeadline),
            MaxConnections = read.Int("limits:max-connections", defaults.MaxConnections, 1, 10_000_000),
            MaxConcurrentHandshakes = read.Int("limits:max-handshakes", defaults.MaxConcurrentHandshakes, 1, 10_000_000),
            PerAddressConnectionRate = read.Int("limits:per-address-rate", defaults.PerAddressConnectionRate, 0, 10_000_000),
            PerAddressConnectionBurst = read.Int("limits:per-address-burst", defaults.PerAddressConnectionBurst, 1, 10_000_000),
            DrainTimeout = s.GetDuration("shutdown:drain-timeout", defaults.DrainTimeout),
            SessionIdleTimeout = read.Positive("session:idle-timeout", defaults.SessionIdleTimeout),
            HandlerTimeout = read.Positive("session:handler-timeout", defaults.HandlerTimeout),
            SendTimeout = read.Positive("session:send-timeout", defaults.SendTimeout),
            MessageProtection = MessageProtectionFrom(s["session:message-protection"], name) ?? defaults.MessageProtection,
            MaxMessageLength = (int)Math.Clamp(s.GetByteSize("session:max-message", defaults.MaxMessageLength), 1, 256L * 1024 * 1024),
            ServicePrincipal = s["service-principal"] ?? defaults.ServicePrincipal,
            DefaultOperation = s["session:default-operation"] ?? defaults.DefaultOperation,
            TrustedProxies = TrustedProxiesFrom(s, name),
            MaxProxyHeaderLength = (int)Math.Clamp(s.GetByteSize("max-proxy-header", defaults.MaxProxyHeaderLength), ProxyHeader.MinMaxLength, ProxyHeader.V2FixedLength + ushort.MaxValue),
        };
    }

    /// <summary>
    /// Reads <c>trusted-proxies</c>: IP addresses (<c>127.0.0.1</c>, one host) or CIDR networks (<c>10.0.0.0/8</c>);
    /// throws naming the entry for anything else. An IPv4 address also matches its IPv4-mapped IPv6 form on a dual-mode socket.
    /// </summary>
    internal static IReadOnlyList<IPNetwork> TrustedProxiesFrom(IConfiguration s, string name)
    {
        var networks = new List<IPNetwork>();
        foreach (IConfigurationSection entry in s.GetSection("trusted-proxies").GetChildren())
        {
            string text = entry.Value ?? "";
            networks.Add(IPAddress.TryParse(text, out IPAddress? host) && !text.Contains('/') ? new IPNetwork(host, host.GetAddressBytes().Length * 8)
                : IPNetwork.TryParse(text, out IPNetwork network) ? network
                : throw new FormatException($"{name}:trusted-proxies:{entry.Key}: '{text}' is not an IP address or a CIDR network (10.0.0.0/8)."));
        }

        // The one empty instance when none: options read from the reference file equal the defaults (records compare lists by reference).
        return networks.Count == 0 ? Array.Empty<IPNetwork>() : networks;
    }

    /// <summary>Parses a protection level as configured: <c>sign</c> or <c>encrypt</c>; null when absent.</summary>
    public static ProtectionLevel? ProtectionLevelFrom(string? value) => value?.ToLowerInvariant() switch
    {
        null => null,
        "sign" => ProtectionLevel.Sign,
        "encrypt" => ProtectionLevel.EncryptAndSign,
        _ => throw new FormatException($"protection-level: '{value}' is not one of: sign, encrypt."),
    };

    /// <summary>Parses who protects messages as configured: <c>managed</c> or <c>gssapi</c>; null when absent.</summary>
    public static MessageProtection? MessageProtectionFrom(string? value, string section = Section) => value?.ToLowerInvariant() switch
    {
        null => null,
        "managed" => Security.MessageProtection.Managed,
        "gssapi" => Security.MessageProtection.GssApi,
        _ => throw new FormatException($"{section}:session:message-protection: '{value}' is not one of: managed, gssapi."),
    };

    /// <summary>Parses a provider as configured: <c>auto</c>, <c>gssapi</c> or <c>negotiate-authentication</c>; null when absent.</summary>
    public static SecurityProvider? SecurityProviderFrom(string? value) => value?.ToLowerInvariant() switch
    {
        null => null,
        "auto" => Security.SecurityProvider.Auto,
        "gssapi" => Security.SecurityProvider.GssApi,
        "negotiate-authentication" => Security.SecurityProvider.NegotiateAuthentication,
        _ => throw new FormatException($"security-provider: '{value}' is not one of: auto, gssapi, negotiate-authentication."),
    };

    internal readonly record struct Reader(IConfiguration Section, string Name)
    {
        public int Int(string key, int fallback, int min, int max)
        {
            string? raw = Section[key];
            if (raw is null)
            {
                return fallback;
            }

            return int.TryParse(raw, out int value) && value >= min && value <= max
                ? value
                : throw new FormatException($"{Name}:{key}: '{raw}' is not a whole number from {min} to {max}.");
        }

        public TimeSpan Positive(string key, TimeSpan fallback) =>
            Section.GetDuration(key, fallback) is var value && value > TimeSpan.Zero
                ? value
                : throw new FormatException($"{Name}:{key}: must be greater than zero.");
    }
}
