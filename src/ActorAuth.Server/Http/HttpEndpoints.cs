using System.Reflection;
using System.Text.Json;
using ActorAuth.Security.Impersonation;
using ActorAuth.Server.Authorization;
using ActorAuth.Server.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.Logging;

namespace ActorAuth.Server.Http;

/// <summary>
/// What one <c>http</c> listener answers. Unauthenticated: <c>/healthz</c> (live), <c>/readyz</c> (ready),
/// <c>/metrics</c> (Prometheus). Authenticated by <see cref="HttpNegotiator"/>: <c>/whoami</c> (JSON), the
/// operators' <c>/status</c> page, and documents under the configured root as the authorization file's documents
/// rules allow (<c>403</c> otherwise, never the file). Only GET and HEAD.
/// </summary>
internal sealed class HttpEndpoints : IDisposable
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();
    private static readonly Dictionary<string, (string Type, byte[] Content)> StatusAssets = LoadStatusAssets();

    private readonly HttpSettings _settings;
    private readonly ServerStatus _status;
    private readonly MetricsExport _export;
    private readonly ILogger _log;
    private readonly ConfinedRoot? _root;
    private AccessPolicy? _policy;
    private string _listener = "";

    /// <exception cref="DirectoryNotFoundException">The documents root is not a directory.</exception>
    public HttpEndpoints(HttpSettings settings, ServerStatus status, MetricsExport export, ILogger<HttpEndpoints> log)
    {
        _settings = settings;
        _status = status;
        _export = export;
        _log = log;
        _root = settings.DocumentsRoot is { } root && settings.Endpoints.Contains(HttpEndpoint.Documents) ? new ConfinedRoot(root) : null;
    }

    /// <summary>The documents root in use, if any.</summary>
    public string? DocumentsRoot => _root?.Path;

    /// <summary>Opens the authenticated endpoints of listener <paramref name="listener"/> under <paramref name="policy"/>.</summary>
    public void Open(string listener, AccessPolicy policy)
    {
        _listener = listener;
        _policy = policy;
    }

    /// <summary>Answers one request and counts its status.</summary>
    public async Task ServeAsync(HttpContext http, HttpNegotiator? negotiator, ServerMetrics metrics)
    {
        try
        {
            await AnswerAsync(http, negotiator, metrics).ConfigureAwait(false);
        }
        finally
        {
            metrics.HttpResponded(http.Response.StatusCode);
        }
    }

    private async Task AnswerAsync(HttpContext http, HttpNegotiator? negotiator, ServerMetrics metrics)
    {
        HttpRequest request = http.Request;
        string path = request.Path.Value is { Length: > 0 } p ? p : "/";
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            http.Response.Headers.Allow = "GET, HEAD";
            await TextAsync(http, StatusCodes.Status405MethodNotAllowed, "only GET and HEAD\n").ConfigureAwait(false);
            return;
        }

        bool health = _settings.Endpoints.Contains(HttpEndpoint.Health);
        if (health && path == "/healthz")
        {
            await TextAsync(http, StatusCodes.Status200OK, "ok\n").ConfigureAwait(false);
            return;
        }

        if (health && path == "/readyz")
        {
            string? notReady = _status.NotReady;
            await TextAsync(http, notReady is null ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, (notReady ?? "ready") + "\n").ConfigureAwait(false);
            return;
        }

        if (_settings.Endpoints.Contains(HttpEndpoint.Metrics) && path == "/metrics")
        {
            http.Response.ContentType = MetricsExport.ContentType;
            await _export.WriteAsync(http.Response.Body, http.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (negotiator is null || _policy is not { } policy)
        {
            await TextAsync(http, StatusCodes.Status503ServiceUnavailable, "starting\n").ConfigureAwait(false);
            return;
        }

        using HttpIdentity? identity = await negotiator.AuthenticateAsync(http).ConfigureAwait(false);
        if (identity is null)
        {
            return;
        }

        // Per-user answers must not be kept by shared caches (RFC 4559 section 4.1 / RFC 9111).
        http.Response.Headers.CacheControl = "private, no-store";
        if (_settings.Endpoints.Contains(HttpEndpoint.WhoAmI) && path == "/whoami")
        {
            await WhoAmIAsync(http, identity).ConfigureAwait(false);
        }
        else if (_settings.Endpoints.Contains(HttpEndpoint.Status) && (path == "/status" || path.StartsWith("/status.", StringComparison.Ordinal)))
        {
            await StatusAsync(http, path, identity, policy, metrics).ConfigureAwait(false);
        }
        else if (_root is not null)
        {
            await DocumentAsync(http, path, identity, policy, metrics).ConfigureAwait(false);
        }
        else
        {
            await TextAsync(http, StatusCodes.Status404NotFound, "not found\n").ConfigureAwait(false);
        }
    }

    private static async Task WhoAmIAsync(HttpContext http, HttpIdentity identity)
    {
        http.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(http.Response.Body, new Dictionary<string, object>
        {
            ["principal"] = identity.Principal,
            ["package"] = identity.Package,
            ["mutual_authentication"] = identity.MutualAuthentication,
            ["impersonation_level"] = identity.ImpersonationLevel.ToString(),
        }, cancellationToken: http.RequestAborted).ConfigureAwait(false);
    }

    private async Task StatusAsync(HttpContext http, string path, HttpIdentity identity, AccessPolicy policy, ServerMetrics metrics)
    {
        if (!policy.IsOperator(identity.Principal))
        {
            Denied(identity, path, metrics, "not-operator");
            await TextAsync(http, StatusCodes.Status403Forbidden, "the status page is for operators\n").ConfigureAwait(false);
            return;
        }

        // Nothing loads from anywhere but this server.
        http.Response.Headers.ContentSecurityPolicy = "default-src 'self'";
        if (path == "/status.json")
        {
            http.Response.ContentType = "application/json";
            await http.Response.Body.WriteAsync(_status.ToJson(identity.Principal), http.RequestAborted).ConfigureAwait(false);
        }
        else if (StatusAssets.TryGetValue(path == "/status" ? "status.html" : path[1..], out var asset))
        {
            http.Response.ContentType = asset.Type;
            await http.Response.Body.WriteAsync(asset.Content, http.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            await TextAsync(http, StatusCodes.Status404NotFound, "not found\n").ConfigureAwait(false);
        }
    }

    private async Task DocumentAsync(HttpContext http, string path, HttpIdentity identity, AccessPolicy policy, ServerMetrics metrics)
    {
        string document = path.EndsWith('/') ? path + "index.html" : path;
        if (!policy.MayRead(identity.Principal, document))
        {
            Denied(identity, document, metrics, "forbidden");
            await TextAsync(http, StatusCodes.Status403Forbidden, "forbidden\n").ConfigureAwait(false);
            return;
        }

        (ConfinedReadStatus status, byte[] content, string reason) = _root!.Read(document.TrimStart('/'), _settings.MaxDocumentBytes);
        switch (status)
        {
            case ConfinedReadStatus.Ok:
                http.Response.ContentType = ContentTypes.TryGetContentType(document, out string? type) ? type : "application/octet-stream";
                http.Response.Headers.XContentTypeOptions = "nosniff";
                http.Response.ContentLength = content.Length;
                if (!HttpMethods.IsHead(http.Request.Method))
                {
                    await http.Response.Body.WriteAsync(content, http.RequestAborted).ConfigureAwait(false);
                }

                break;
            case ConfinedReadStatus.OutsideRoot:
                // A path that leaves the root is an attack or a misconfigured link: logged, answered as absent.
                _log.LogWarning("http {Id} {Remote} {Principal}: {Path} resolves outside {Root}", identity.Id, identity.RemoteEndPoint, identity.Principal, document, _root.Path);
                metrics.HttpRefused("outside-root");
                await TextAsync(http, StatusCodes.Status404NotFound, "not found\n").ConfigureAwait(false);
                break;
            case ConfinedReadStatus.AccessDenied:
                _log.LogWarning("http {Id} {Principal}: {Path}: {Reason}", identity.Id, identity.Principal, document, reason);
                await TextAsync(http, StatusCodes.Status403Forbidden, "forbidden\n").ConfigureAwait(false);
                break;
            case ConfinedReadStatus.TooLarge:
                _log.LogWarning("http {Id} {Path} is larger than max-document ({Max} B)", identity.Id, document, _settings.MaxDocumentBytes);
                await TextAsync(http, StatusCodes.Status500InternalServerError, "document too large to serve\n").ConfigureAwait(false);
                break;
            default:
                await TextAsync(http, StatusCodes.Status404NotFound, "not found\n").ConfigureAwait(false);
                break;
        }
    }

    private void Denied(HttpIdentity identity, string path, ServerMetrics metrics, string reason)
    {
        metrics.HttpRefused(reason);
        // The tag names the endpoint, never the path: paths are the client's to choose, and each would be a new series.
        metrics.RequestDenied(reason == "not-operator" ? "http-status" : "http-document");
        _log.LogInformation("http {Id} {Remote} {Principal} denied {Path} on {Listener}: {Reason}", identity.Id, identity.RemoteEndPoint, identity.Principal, path, _listener, reason);
    }

    private static Task TextAsync(HttpContext http, int status, string text)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/plain; charset=utf-8";
        return http.Response.WriteAsync(text, http.RequestAborted);
    }

    private static Dictionary<string, (string, byte[])> LoadStatusAssets()
    {
        Assembly assembly = typeof(HttpEndpoints).Assembly;
        const string prefix = "ActorAuth.Server.Http.Status.";
        return assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(
            n => n[prefix.Length..],
            n =>
            {
                using Stream stream = assembly.GetManifestResourceStream(n)!;
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                return (ContentTypes.TryGetContentType(n, out string? type) ? type + (type.StartsWith("text/", StringComparison.Ordinal) ? "; charset=utf-8" : "") : "application/octet-stream", buffer.ToArray());
            });
    }

    /// <inheritdoc />
    public void Dispose() => _root?.Dispose();
}
