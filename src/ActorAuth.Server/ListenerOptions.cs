using ActorAuth.Protocol;
using ActorAuth.Server.Http;
using Microsoft.Extensions.Configuration;

namespace ActorAuth.Server;

/// <summary>
/// One entry of <c>actorauth.listeners</c>: a name, a kind, and the <see cref="ServerOptions"/> in force on it —
/// the entry's own keys (host, port, protection-level, max-frame, handshake, limits, session, trusted-proxies, max-proxy-header) over those of
/// <c>actorauth.server</c>. With no list configured the server has one listener, the sockauth one that
/// <c>actorauth.server</c> describes.
/// </summary>
/// <param name="Name">Unique among the listeners; in logs and as the metrics' <c>listener</c> tag. Defaults to the kind's name.</param>
/// <param name="Kind">The wire dialect.</param>
/// <param name="Options">The effective settings of this listener.</param>
/// <param name="Http">What an <c>http</c> listener serves and its request limits; null for the other kinds.</param>
public sealed record ListenerOptions(string Name, WireDialect Kind, ServerOptions Options, HttpSettings? Http = null)
{
    /// <summary>The configuration section of the list.</summary>
    public const string Section = "actorauth:listeners";

    /// <summary>
    /// The largest message a negotiate-stream listener carries: one NegotiateStream frame holds at most
    /// <see cref="NegotiateStreamCodec.MaxWriteDataSize"/> bytes of plaintext, and a reply's status byte is one of them.
    /// </summary>
    public const int NegotiateStreamMaxMessage = NegotiateStreamCodec.MaxWriteDataSize - 1;

    /// <summary>Reads the listeners; throws naming the key for a bad entry, a repeated name or a port used twice.</summary>
    public static IReadOnlyList<ListenerOptions> ListFrom(IConfiguration configuration)
    {
        IConfigurationSection server = configuration.GetSection(ServerOptions.Section);
        IConfigurationSection[] entries = [.. configuration.GetSection(Section).GetChildren().OrderBy(e => int.TryParse(e.Key, out int i) ? i : int.MaxValue)];
        if (entries.Length == 0)
        {
            return [new ListenerOptions(WireDialect.Sockauth.Name(), WireDialect.Sockauth, ServerOptions.From(configuration))];
        }

        var listeners = new List<ListenerOptions>(entries.Length);
        foreach (IConfigurationSection entry in entries)
        {
            string key = $"{Section}:{entry.Key}";
            WireDialect kind = WireDialects.Parse(entry["kind"] ?? WireDialect.Sockauth.Name(), key + ":kind");
            string name = entry["name"] ?? kind.Name();
            ServerOptions options = ServerOptions.FromSection(Overlay(server, entry), key);
            if (entry.GetChildren().Any(c => c.Key == "trusted-proxies"))
            {
                // A list in the entry (even []) replaces the server's whole: the overlay would merge the two by index.
                options = options with { TrustedProxies = ServerOptions.TrustedProxiesFrom(entry, key) };
            }

            if (kind == WireDialect.NegotiateStream)
            {
                options = options with { MaxMessageLength = Math.Min(options.MaxMessageLength, NegotiateStreamMaxMessage) };
            }

            // HTTP protects no messages after the handshake, so a context's protection level is not required there.
            HttpSettings? http = kind == WireDialect.Http ? HttpSettings.From(entry, key) : null;
            if (http is not null)
            {
                options = options with { RequiredProtectionLevel = System.Net.Security.ProtectionLevel.None };
            }

            if (listeners.Exists(l => l.Name == name))
            {
                throw new FormatException($"{key}:name: '{name}' names another listener too; give each a unique name.");
            }

            if (options.Port != 0 && listeners.Find(l => l.Options.Port == options.Port && l.Options.Host.Equals(options.Host)) is { } samePort)
            {
                throw new FormatException($"{key}:port: {options.Host}:{options.Port} is listener '{samePort.Name}''s address too.");
            }

            listeners.Add(new ListenerOptions(name, kind, options, http));
        }

        return listeners;
    }

    /// <summary>The entry's keys over the server section's, as one configuration.</summary>
    private static IConfiguration Overlay(IConfigurationSection server, IConfigurationSection entry) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(server.AsEnumerable(makePathsRelative: true))
            .AddInMemoryCollection(entry.AsEnumerable(makePathsRelative: true))
            .Build();
}
