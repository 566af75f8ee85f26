using System.Text;
using System.Text.Json;
using ActorAuth.Server.Cluster;
using Akka.Actor;

namespace ActorAuth.Server.Sessions;

/// <summary>
/// The built-in operator operations over the cluster's session registry: <c>sessions-list</c> (body: empty, or a
/// principal to list only its sessions) and <c>sessions-revoke</c> (body: the principal). Only principals the
/// authorization file names in <c>operators</c> may call them (<see cref="OperatorsOnly"/>) — beside the access rules,
/// which must grant the operation too. Replies are JSON.
/// </summary>
public sealed class SessionsHandler : ISessionHandler
{
    /// <summary>The list operation's name.</summary>
    public const string List = "sessions-list";

    /// <summary>The revoke operation's name.</summary>
    public const string Revoke = "sessions-revoke";

    private static readonly TimeSpan AskMargin = TimeSpan.FromSeconds(5);

    private readonly IActorRef _registry;
    private readonly TimeSpan _timeout;

    private SessionsHandler(string operation, IActorRef registry, TimeSpan revokeTimeout)
    {
        Operation = operation;
        _registry = registry;
        _timeout = revokeTimeout + AskMargin;
    }

    /// <summary>Both operations, over <paramref name="registry"/>.</summary>
    public static ISessionHandler[] Create(IActorRef registry, TimeSpan revokeTimeout) =>
        [new SessionsHandler(List, registry, revokeTimeout), new SessionsHandler(Revoke, registry, revokeTimeout)];

    /// <inheritdoc />
    public string Operation { get; }

    /// <inheritdoc />
    public bool OperatorsOnly => true;

    /// <inheritdoc />
    public async ValueTask<ReadOnlyMemory<byte>> HandleAsync(SessionIdentity identity, ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        string principal = Encoding.UTF8.GetString(request.Span).Trim();
        if (Operation == List)
        {
            SessionList list = await _registry.Ask<SessionList>(new ListSessions(principal.Length == 0 ? null : principal), _timeout, cancellationToken).ConfigureAwait(false);
            return Json(w => WriteList(w, list, identity.MaxMessageLength));
        }

        if (principal.Length == 0)
        {
            throw new OperationFailedException("sessions-revoke needs the principal to revoke as its body");
        }

        RevokeResult result = await _registry.Ask<RevokeResult>(new RevokePrincipal(principal, identity.ClientPrincipal), _timeout, cancellationToken).ConfigureAwait(false);
        return Json(w => WriteRevoke(w, result));
    }

    /// <summary>
    /// The list, as many sessions as fit the listener's largest reply (about 170 bytes each): <c>total</c> is every
    /// session the registry knows, <c>truncated</c> says some were left out (list one principal's, or raise
    /// <c>session.max-message</c>).
    /// </summary>
    private static void WriteList(Utf8JsonWriter w, SessionList list, int maxReply)
    {
        const int Margin = 1_024;
        w.WriteNumber("total", list.Sessions.Count);
        w.WriteStartArray("nodes");
        list.Nodes.ToList().ForEach(w.WriteStringValue);
        w.WriteEndArray();
        w.WriteStartArray("sessions");
        bool truncated = false;
        foreach (SessionEntry s in list.Sessions)
        {
            if (w.BytesCommitted + w.BytesPending > maxReply - Margin)
            {
                truncated = true;
                break;
            }

            w.WriteStartObject();
            w.WriteString("principal", s.Principal);
            w.WriteString("node", s.Node);
            w.WriteString("listener", s.Listener);
            w.WriteString("remote", s.Remote);
            w.WriteString("since", DateTimeOffset.FromUnixTimeMilliseconds(s.SinceUnixMs));
            w.WriteNumber("connection", s.ConnectionId);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteBoolean("truncated", truncated);
    }

    private static void WriteRevoke(Utf8JsonWriter w, RevokeResult result)
    {
        w.WriteString("principal", result.Principal);
        w.WriteString("refused_until", DateTimeOffset.FromUnixTimeMilliseconds(result.UntilUnixMs));
        w.WriteStartObject("ended");
        foreach ((string node, int ended) in result.EndedByNode.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            w.WriteNumber(node, ended);
        }

        w.WriteEndObject();
        w.WriteStartArray("unconfirmed");
        result.Unconfirmed.ToList().ForEach(w.WriteStringValue);
        w.WriteEndArray();
    }

    private static ReadOnlyMemory<byte> Json(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        return stream.ToArray();
    }
}
