using ActorAuth.Hocon;
using Microsoft.Extensions.Configuration;

namespace ActorAuth.Server.Http;

/// <summary>What an <c>http</c> listener serves.</summary>
public enum HttpEndpoint
{
    /// <summary>Files under <see cref="HttpSettings.DocumentsRoot"/>, to authenticated principals the documents rules allow.</summary>
    Documents,

    /// <summary><c>GET /whoami</c>: the authenticated identity as JSON.</summary>
    WhoAmI,

    /// <summary><c>GET /status</c>: the operators' live page.</summary>
    Status,

    /// <summary><c>GET /metrics</c>: Prometheus text, unauthenticated.</summary>
    Metrics,

    /// <summary><c>GET /healthz</c> and <c>/readyz</c>, unauthenticated.</summary>
    Health,
}

/// <summary>
/// The <c>http { }</c> keys of an <c>http</c> listener: what it serves and the limits Kestrel enforces on each
/// request (see <c>config/reference.conf</c>). Every limit has a safe default.
/// </summary>
public sealed record HttpSettings
{
    /// <summary>The endpoints served; all by default. A listener only for scrapers says <c>[metrics, health]</c>.</summary>
    public IReadOnlySet<HttpEndpoint> Endpoints { get; init; } = Enum.GetValues<HttpEndpoint>().ToHashSet();

    /// <summary>The directory documents are served from; null serves none (404).</summary>
    public string? DocumentsRoot { get; init; }

    /// <summary>The largest document served; a larger one answers 500 rather than fill memory.</summary>
    public int MaxDocumentBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>All request headers together (Kestrel answers 431 above it); room for an Authorization header of max-frame.</summary>
    public long MaxRequestHeaderBytes { get; init; } = 128 * 1024;

    /// <summary>The request line (Kestrel answers 414 above it).</summary>
    public int MaxRequestLineBytes { get; init; } = 8 * 1024;

    /// <summary>A request body (Kestrel answers 413 above it): nothing served here takes one.</summary>
    public long MaxRequestBodyBytes { get; init; } = 64 * 1024;

    /// <summary>How long a client may take to send its request headers (a slow-header client is cut off with 408).</summary>
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an idle keep-alive connection stays open.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Reads the <c>http</c> keys of <paramref name="entry"/> (the listener's section), named <paramref name="name"/> in errors.</summary>
    public static HttpSettings From(IConfiguration entry, string name)
    {
        var defaults = new HttpSettings();
        IConfigurationSection s = entry.GetSection("http");
        var read = new ServerOptions.Reader(s, name + ":http");
        IConfigurationSection endpoints = s.GetSection("endpoints");
        string? root = s["documents-root"];
        return new HttpSettings
        {
            Endpoints = endpoints.Exists() ? endpoints.GetChildren().Select(e => ParseEndpoint(e.Value, $"{name}:http:endpoints")).ToHashSet() : defaults.Endpoints,
            DocumentsRoot = string.IsNullOrWhiteSpace(root) ? null : Path.GetFullPath(root),
            MaxDocumentBytes = (int)Math.Clamp(s.GetByteSize("max-document", defaults.MaxDocumentBytes), 1, int.MaxValue),
            MaxRequestHeaderBytes = Math.Clamp(s.GetByteSize("max-request-headers", defaults.MaxRequestHeaderBytes), 1024, 16L * 1024 * 1024),
            MaxRequestLineBytes = (int)Math.Clamp(s.GetByteSize("max-request-line", defaults.MaxRequestLineBytes), 256, 1024 * 1024),
            MaxRequestBodyBytes = Math.Clamp(s.GetByteSize("max-request-body", defaults.MaxRequestBodyBytes), 0, 1L << 30),
            RequestHeadersTimeout = read.Positive("request-headers-timeout", defaults.RequestHeadersTimeout),
            KeepAliveTimeout = read.Positive("keep-alive-timeout", defaults.KeepAliveTimeout),
        };
    }

    private static HttpEndpoint ParseEndpoint(string? value, string key) => value?.ToLowerInvariant() switch
    {
        "documents" => HttpEndpoint.Documents,
        "whoami" => HttpEndpoint.WhoAmI,
        "status" => HttpEndpoint.Status,
        "metrics" => HttpEndpoint.Metrics,
        "health" => HttpEndpoint.Health,
        _ => throw new FormatException($"{key}: '{value}' is not one of: documents, whoami, status, metrics, health."),
    };
}
