using System.Buffers;
using ActorAuth.Security;
using ActorAuth.Server.Actors;
using ActorAuth.Server.Metrics;
using ActorAuth.Server.Sessions;
using ActorAuth.Server.Tcp;
using Akka.Actor;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace ActorAuth.Server.Http;

/// <summary>
/// RFC 4559 on the request side. A request without <c>Authorization: Negotiate</c> gets <c>401</c> with the
/// challenge; a token goes to the connection's handshake in progress or opens a new one (a handshake actor per
/// context, as on TCP); a continue leg answers <c>401</c> with the server's token; completion lets the request be
/// served with <c>WWW-Authenticate: Negotiate &lt;final token&gt;</c> (the client's proof that this server holds the
/// SPN's keys); failure answers <c>401</c> (<c>400</c> for a malformed header) and closes the connection.
/// Authentication lasts for one request: each request carries its own token, as curl, browsers and .NET send them
/// after the first challenge, so a connection shared by a proxy never lends one client's identity to another.
/// </summary>
internal sealed class HttpNegotiator
{
    private const string Scheme = "Negotiate";
    private static readonly object StateKey = new();

    private readonly SessionSettings _settings;
    private readonly ServerCredential _credential;
    private readonly IActorRef _supervisor;
    private readonly ConnectionIds _ids;
    private readonly ServerMetrics _metrics;
    private readonly ILogger _channelLog;
    private readonly ILogger _log;
    private readonly int _maxHeaderLength;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, HttpHandshakeChannel> _live = new();
    private readonly Action<HttpHandshakeChannel> _ended;

    public HttpNegotiator(SessionSettings settings, ServerCredential credential, IActorRef supervisor, ConnectionIds ids, ILoggerFactory loggers)
    {
        _settings = settings;
        _credential = credential;
        _supervisor = supervisor;
        _ids = ids;
        _metrics = settings.Metrics;
        _channelLog = loggers.CreateLogger<HttpHandshakeChannel>();
        _log = loggers.CreateLogger<HttpNegotiator>();
        // "Negotiate " and the base64 of the largest token a handshake frame may hold.
        _maxHeaderLength = Scheme.Length + 1 + (((settings.Options.MaxFrameLength + 2) / 3) * 4);
        _ended = channel => _live.TryRemove(channel.Id, out _);
    }

    /// <summary>The server stops: every unfinished handshake's parked context is disposed and its request answered.</summary>
    public void AbandonAll()
    {
        foreach (HttpHandshakeChannel channel in _live.Values)
        {
            channel.Abandon();
        }
    }

    /// <summary>The authenticated identity, or null when the response (a challenge or refusal) has been written.</summary>
    public async Task<HttpIdentity?> AuthenticateAsync(HttpContext http)
    {
        StringValues values = http.Request.Headers.Authorization;
        if (values.Count == 0)
        {
            return await ChallengeAsync(http, token: null).ConfigureAwait(false);
        }

        if (values.Count > 1)
        {
            return await RefuseAsync(http, StatusCodes.Status400BadRequest, "malformed-authorization", "more than one Authorization header").ConfigureAwait(false);
        }

        string value = values[0] ?? "";
        if (value.Length > _maxHeaderLength)
        {
            return await RefuseAsync(http, StatusCodes.Status400BadRequest, "oversize-authorization",
                $"an Authorization header of {value.Length} characters (at most {_maxHeaderLength}: max-frame {_settings.Options.MaxFrameLength} B)").ConfigureAwait(false);
        }

        if (!value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || (value.Length > Scheme.Length && value[Scheme.Length] != ' '))
        {
            // Another scheme (Basic, NTLM): not refused as malformed, just not what this server accepts.
            _metrics.HttpRefused("unsupported-scheme");
            return await ChallengeAsync(http, token: null).ConfigureAwait(false);
        }

        if (Decode(value.AsSpan(Scheme.Length).Trim()) is not { } token)
        {
            return await RefuseAsync(http, StatusCodes.Status400BadRequest, "malformed-authorization", "a Negotiate header without a base64 token").ConfigureAwait(false);
        }

        ConnectionState state = StateOf(http);
        HttpHandshakeChannel? channel = state.Handshake;
        if (channel is not null && (channel.IsShutDown || IsInitialContextToken(token)))
        {
            // A new initial token starts over (RFC 2743 3.1 framing: [APPLICATION 0]); the abandoned context ends as a closed one.
            channel.ClientClosed();
            channel = null;
        }

        if (channel is null)
        {
            if (_metrics.LiveHandshakes >= _settings.Options.MaxConcurrentHandshakes)
            {
                _metrics.AdmissionRefused("max-handshakes");
                http.Response.Headers.RetryAfter = "1";
                return await RefuseAsync(http, StatusCodes.Status503ServiceUnavailable, "max-handshakes",
                    $"{_metrics.LiveHandshakes} handshakes in progress (limit {_settings.Options.MaxConcurrentHandshakes})").ConfigureAwait(false);
            }

            channel = new HttpHandshakeChannel(_ids.Next(), http.Connection.RemoteIpAddress is { } ip ? new System.Net.IPEndPoint(ip, http.Connection.RemotePort) : null, _metrics, _channelLog, _ended);
            _live[channel.Id] = channel;
            _metrics.HandshakeStarted();
            _supervisor.Tell(new ConnectionAccepted(channel, _settings, _credential), ActorRefs.NoSender);
        }

        state.Handshake = channel;
        NegotiateStep step = await channel.SubmitAsync(token).ConfigureAwait(false);
        switch (step)
        {
            case ContinueStep next:
                return await ChallengeAsync(http, next.Token).ConfigureAwait(false);
            case AuthenticatedStep done:
                state.Handshake = null;
                HandshakeSucceeded handshake = done.Handshake;
                if (done.FinalToken is { } final)
                {
                    http.Response.Headers.WWWAuthenticate = Header(final);
                }

                return new HttpIdentity(channel.Id, channel.RemoteEndPoint, handshake.SecurityContext, handshake.ClientPrincipal, _metrics);
            case FailedStep failed:
                state.Handshake = null;
                return await FailAsync(http, failed).ConfigureAwait(false);
            default:
                throw new InvalidOperationException($"Unknown step {step}.");
        }
    }

    private static byte[]? Decode(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return null;
        }

        byte[] rented = ArrayPool<byte>.Shared.Rent(((text.Length + 3) / 4) * 3);
        try
        {
            return Convert.TryFromBase64Chars(text, rented, out int length) && length > 0 ? rented.AsSpan(0, length).ToArray() : null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented, clearArray: true);
        }
    }

    private static bool IsInitialContextToken(byte[] token) => token[0] == 0x60;

    private static string Header(ReadOnlyMemory<byte> token) => Scheme + " " + Convert.ToBase64String(token.Span);

    private static async Task<HttpIdentity?> ChallengeAsync(HttpContext http, ReadOnlyMemory<byte>? token)
    {
        http.Response.StatusCode = StatusCodes.Status401Unauthorized;
        http.Response.Headers.WWWAuthenticate = token is { Length: > 0 } t ? Header(t) : Scheme;
        await http.Response.WriteAsync("authentication required\n").ConfigureAwait(false);
        return null;
    }

    /// <summary>A failed handshake: 401 with the package's error token (so the client's package can name it), or 400/503/500; the reason is logged, never echoed.</summary>
    private async Task<HttpIdentity?> FailAsync(HttpContext http, FailedStep failed)
    {
        int status = failed.Reason switch
        {
            TeardownReason.FrameTooLarge or TeardownReason.EmptyFrame or TeardownReason.ProtocolViolation => StatusCodes.Status400BadRequest,
            TeardownReason.ShuttingDown => StatusCodes.Status503ServiceUnavailable,
            TeardownReason.InternalError => StatusCodes.Status500InternalServerError,
            _ => StatusCodes.Status401Unauthorized,
        };
        _metrics.HttpRefused(failed.Reason.Code());
        http.Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized)
        {
            http.Response.Headers.WWWAuthenticate = failed.Token is { Length: > 0 } t ? Header(t) : Scheme;
        }

        http.Response.Headers.Connection = "close";
        await http.Response.WriteAsync(status == StatusCodes.Status401Unauthorized ? "authentication failed\n" : "request refused\n").ConfigureAwait(false);
        return null;
    }

    private async Task<HttpIdentity?> RefuseAsync(HttpContext http, int status, string reason, string detail)
    {
        _metrics.HttpRefused(reason);
        _log.LogWarning("http {Remote} refused: {Reason} ({Detail})", http.Connection.RemoteIpAddress, reason, detail);
        http.Response.StatusCode = status;
        http.Response.Headers.Connection = "close";
        await http.Response.WriteAsync("request refused: " + reason + "\n").ConfigureAwait(false);
        return null;
    }

    /// <summary>The connection's handshake in progress, made once per connection; a handshake still waiting when it closes ends.</summary>
    private static ConnectionState StateOf(HttpContext http)
    {
        IDictionary<object, object?> items = http.Features.GetRequiredFeature<IConnectionItemsFeature>().Items;
        if (items.TryGetValue(StateKey, out object? existing) && existing is ConnectionState state)
        {
            return state;
        }

        state = new ConnectionState();
        items[StateKey] = state;
        http.Features.Get<IConnectionCompleteFeature>()?.OnCompleted(static s =>
        {
            ((ConnectionState)s).Handshake?.ClientClosed();
            return Task.CompletedTask;
        }, state);
        return state;
    }

    private sealed class ConnectionState
    {
        public HttpHandshakeChannel? Handshake { get; set; }
    }
}
