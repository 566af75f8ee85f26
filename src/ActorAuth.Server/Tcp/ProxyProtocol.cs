using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using ActorAuth.Protocol;
using Akka;
using Akka.Streams.Dsl;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace ActorAuth.Server.Tcp;

/// <summary>
/// A listener's PROXY protocol (<see cref="ProxyHeader"/>), on when <see cref="ServerOptions.TrustedProxies"/> is not
/// empty. The rules:
/// <list type="bullet">
/// <item>A connection from a trusted proxy must begin with a header, whole within the handshake receive timeout and
/// <see cref="ServerOptions.MaxProxyHeaderLength"/>; else it is refused (<c>proxy-header-missing</c>,
/// <c>-invalid</c>, <c>-timeout</c>): a proxy configured without send-proxy must not make every client look like
/// the proxy. The client the header names becomes the connection's <see cref="ConnectionContext.RemoteEndPoint"/>
/// before the admission checks, so the per-address rate, the logs and the sessions see the client. A LOCAL header
/// (the proxy's health check) keeps the proxy's own address.</item>
/// <item>A header from anyone else is refused with reason <c>untrusted-proxy</c>: on TCP by the connection's first
/// frame (<see cref="ClientConnection"/>, whether or not the protocol is on), on HTTP here.</item>
/// </list>
/// Headers are read concurrently (up to the listener's max-handshakes), so one slow proxy connection does not hold the
/// accept loop; nothing is read from a connection that is not from a trusted proxy (TCP).
/// </summary>
internal sealed class ProxyProtocol
{
    /// <summary>
    /// Not a refusal: a trusted proxy's connection that ended (closed or reset) with nothing but, at most, a LOCAL header
    /// — how HAProxy's health checks look — is closed uncounted (logged at Debug).
    /// </summary>
    public const string HealthCheck = "proxy-health-check";

    private readonly IReadOnlyList<IPNetwork> _trusted;
    private readonly int _maxLength;
    private readonly TimeSpan _timeout;
    private readonly int _parallelism;
    private readonly AdmissionControl _admission;
    private readonly ILogger _log;

    private ProxyProtocol(ServerOptions options, AdmissionControl admission, ILogger log)
    {
        _trusted = options.TrustedProxies;
        _maxLength = options.MaxProxyHeaderLength;
        _timeout = options.HandshakeReceiveTimeout;
        _parallelism = options.MaxConcurrentHandshakes;
        _admission = admission;
        _log = log;
    }

    /// <summary>The listener's PROXY protocol; null when it trusts no proxy (off).</summary>
    public static ProxyProtocol? For(ServerOptions options, AdmissionControl admission, ILogger log) =>
        options.TrustedProxies.Count == 0 ? null : new ProxyProtocol(options, admission, log);

    /// <summary>
    /// The accept stream's stage before admission: a connection from a trusted proxy passes once its header is read (with
    /// the client's address); a refused one is counted, logged, closed and dropped; the others pass unchanged at once.
    /// </summary>
    public Flow<ConnectionContext, ConnectionContext, NotUsed> Stage() =>
        Flow.Create<ConnectionContext>()
            .SelectAsyncUnordered(_parallelism, async connection =>
            {
                if (!IsTrusted(connection.RemoteEndPoint) || await ReadHeaderAsync(connection).ConfigureAwait(false) is not { } refusal)
                {
                    return (Connection: connection, Admitted: true);
                }

                // Akka.Streams elements may not be null: a refused connection travels marked, and is dropped next.
                if (refusal == HealthCheck)
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                    return (Connection: connection, Admitted: false);
                }

                return (Connection: connection, Admitted: _admission.Refuse(connection, refusal));
            })
            .Collect(accepted => accepted.Admitted, accepted => accepted.Connection)
            .Named("proxy-protocol");

    /// <summary>
    /// For an HTTP listener's connection pipeline: reads a trusted proxy's header, and refuses a header from anyone else
    /// (Kestrel would answer it 400, uncounted). False: refused, counted and logged; the caller ends the connection.
    /// </summary>
    public async Task<bool> AcceptAsync(ConnectionContext connection)
    {
        string? refusal = IsTrusted(connection.RemoteEndPoint)
            ? await ReadHeaderAsync(connection).ConfigureAwait(false)
            : await BeginsWithHeaderAsync(connection).ConfigureAwait(false) ? "untrusted-proxy" : null;
        return refusal is null || (refusal != HealthCheck && _admission.Refused(connection, refusal));
    }

    /// <summary>Whether <paramref name="remote"/> is in a trusted network (an IPv4-mapped IPv6 peer as its IPv4 address).</summary>
    public bool IsTrusted(EndPoint? remote)
    {
        if (remote is not IPEndPoint { Address: var address })
        {
            return false;
        }

        address = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        foreach (IPNetwork network in _trusted)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads the header and takes its client as the remote address; the refusal reason, or null when accepted.</summary>
    private async Task<string?> ReadHeaderAsync(ConnectionContext connection)
    {
        PipeReader input = connection.Transport.Input;
        using var timeout = new CancellationTokenSource(_timeout);
        try
        {
            while (true)
            {
                ReadResult read = await input.ReadAsync(timeout.Token).ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = read.Buffer;
                ProxyHeaderStatus status = ProxyHeader.TryRead(ref buffer, _maxLength, out IPEndPoint? client, out _);
                if (status == ProxyHeaderStatus.Incomplete)
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                    if (read.IsCompleted || read.IsCanceled)
                    {
                        return buffer.IsEmpty
                            ? Refusal(connection, HealthCheck, "the proxy closed its connection before sending anything")
                            : Refusal(connection, "proxy-header-missing", $"the proxy closed the connection {buffer.Length} bytes into its PROXY header");
                    }

                    continue;
                }

                // Complete: the client's bytes after the header stay buffered for the connection's first read.
                bool nothingAfter = buffer.IsEmpty, ended = read.IsCompleted;
                input.AdvanceTo(buffer.Start);
                if (status != ProxyHeaderStatus.Complete)
                {
                    return status == ProxyHeaderStatus.NotProxyHeader
                        ? Refusal(connection, "proxy-header-missing", "a trusted proxy's connection did not begin with a PROXY header")
                        : Refusal(connection, "proxy-header-invalid", $"the PROXY header is {status} (maximum {_maxLength} bytes)");
                }

                if (client is not null)
                {
                    _log.LogDebug("conn from proxy {Proxy}: PROXY header names client {Client}", connection.RemoteEndPoint, client);
                    connection.RemoteEndPoint = client;
                    return null;
                }

                // LOCAL (or UNSPEC/UNKNOWN): the proxy speaks for itself. Its health check closes right after the header;
                // waiting for the next bytes tells the two apart (every dialect's client speaks first), so a check every
                // few seconds is not a failed handshake in the metrics.
                return nothingAfter && (ended || await EndsWithoutBytesAsync(input, timeout.Token).ConfigureAwait(false))
                    ? Refusal(connection, HealthCheck, "the proxy's own connection (LOCAL) ended after its header")
                    : null;
            }
        }
        catch (OperationCanceledException)
        {
            return Refusal(connection, "proxy-header-timeout", $"no whole PROXY header (or after a LOCAL one, no byte) within {_timeout.TotalSeconds:0.###} s");
        }
        catch (Exception e) when (e is IOException or ConnectionResetException or ConnectionAbortedException or InvalidOperationException or ObjectDisposedException)
        {
            // HAProxy ends each health check with a reset right after its LOCAL header, and a reset drops what the pipe
            // had not yet handed over: there is nothing to serve, and nothing claimed.
            return Refusal(connection, HealthCheck, $"the proxy's connection failed before a client's bytes: {e.Message}");
        }
    }

    /// <summary>Whether the connection ends (closed or reset: HAProxy may end a check with a reset) before its next bytes; they stay buffered.</summary>
    private static async Task<bool> EndsWithoutBytesAsync(PipeReader input, CancellationToken cancellationToken)
    {
        try
        {
            ReadResult next = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            bool ended = next.IsCompleted && next.Buffer.IsEmpty;
            input.AdvanceTo(next.Buffer.Start);
            return ended;
        }
        catch (Exception e) when (e is IOException or ConnectionResetException or ConnectionAbortedException)
        {
            return true;
        }
    }

    /// <summary>Looks at an untrusted peer's first bytes without consuming them (bounded by the same timeout).</summary>
    private async Task<bool> BeginsWithHeaderAsync(ConnectionContext connection)
    {
        PipeReader input = connection.Transport.Input;
        using var timeout = new CancellationTokenSource(_timeout);
        try
        {
            ReadResult read = await input.ReadAsync(timeout.Token).ConfigureAwait(false);
            bool header = ProxyHeader.IsHeaderStart(read.Buffer);
            // Nothing consumed or examined: the next read (Kestrel's) returns the same bytes at once.
            input.AdvanceTo(read.Buffer.Start);
            return header;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionResetException or ConnectionAbortedException or InvalidOperationException)
        {
            // A silent or failed connection is Kestrel's to time out or close, as without the PROXY protocol.
            return false;
        }
    }

    private string Refusal(ConnectionContext connection, string reason, string detail)
    {
        _log.LogDebug("conn from {Remote}: {Reason}: {Detail}", connection.RemoteEndPoint, reason, detail);
        return reason;
    }
}
