using Akka.Actor;
using Microsoft.Extensions.Logging;

namespace ActorAuth.Server.Cluster;

/// <summary>Revocation: end a principal's sessions on every node, refuse its handshakes until a time, report who confirmed.</summary>
public sealed partial class SessionRegistryActor
{
    private readonly Dictionary<long, PendingRevoke> _revokes = [];
    private long _nextRevoke;

    private void OnRevokePrincipal(RevokePrincipal request)
    {
        var revocation = new Revocation(request.Principal, Now + (long)_settings.RevokeFor.TotalMilliseconds);
        int ended = Revoke(revocation, request.By);
        var pending = new PendingRevoke(Sender, revocation, Now + (long)_settings.RevokeTimeout.TotalMilliseconds);
        pending.Ended[_node] = ended;
        long id = ++_nextRevoke;
        var ask = new RevokeRequest(id, revocation);
        foreach ((Address address, (IActorRef peer, _)) in _peers.All)
        {
            pending.Waiting.Add(address);
            peer.Tell(ask, Self);
        }

        _revokes[id] = pending;
        Finish(id, pending);
    }

    private void OnRevokeRequest(RevokeRequest request)
    {
        int ended = Revoke(request.Revocation, by: NodeName(Sender.Path.Address));
        Sender.Tell(new RevokeApplied(request.Id, ended), Self);
    }

    private void OnRevokeApplied(RevokeApplied applied)
    {
        if (_revokes.TryGetValue(applied.Id, out PendingRevoke? pending) && pending.Waiting.Remove(Sender.Path.Address))
        {
            pending.Ended[NodeName(Sender.Path.Address)] = applied.Ended;
            Finish(applied.Id, pending);
        }
    }

    /// <summary>Refuses the principal until the revocation's time and ends its sessions here; returns how many.</summary>
    private int Revoke(Revocation revocation, string by)
    {
        if (revocation.UntilUnixMs <= Now)
        {
            return 0;
        }

        if (!_revoked.TryGetValue(revocation.Principal, out long until) || until < revocation.UntilUnixMs)
        {
            _revoked[revocation.Principal] = revocation.UntilUnixMs;
            _revocations.Publish(_revoked);
        }

        int ended = 0;
        foreach ((SessionEntry entry, IActorRef session) in _local.Values)
        {
            if (entry.Principal == revocation.Principal)
            {
                session.Tell(new EndSession(TeardownReason.Revoked, $"{entry.Principal} was revoked by {by}"));
                ended++;
            }
        }

        if (ended > 0)
        {
            _metrics.SessionsRevoked(ended);
        }

        _log.LogWarning("Principal {Principal} revoked by {By} until {Until:u}: {Ended} sessions on this node end, new handshakes are refused",
            revocation.Principal, by, DateTimeOffset.FromUnixTimeMilliseconds(revocation.UntilUnixMs), ended);
        return ended;
    }

    /// <summary>Answers the operator once every node confirmed, or at the deadline with the ones that did not.</summary>
    private void Finish(long id, PendingRevoke pending, bool deadlinePassed = false)
    {
        if (pending.Waiting.Count > 0 && !deadlinePassed)
        {
            return;
        }

        _revokes.Remove(id);
        pending.ReplyTo.Tell(new RevokeResult(pending.Revocation.Principal, pending.Revocation.UntilUnixMs, pending.Ended,
            [.. pending.Waiting.Select(NodeName).Order(StringComparer.Ordinal)]));
    }

    private void ExpireRevokes()
    {
        long now = Now;
        foreach ((long id, PendingRevoke pending) in _revokes.Where(r => r.Value.Deadline <= now).ToList())
        {
            Finish(id, pending, deadlinePassed: true);
        }

        if (_revoked.Count > 0 && _revoked.Any(r => r.Value <= now))
        {
            foreach (string principal in _revoked.Where(r => r.Value <= now).Select(r => r.Key).ToList())
            {
                _revoked.Remove(principal);
            }

            _revocations.Publish(_revoked);
        }
    }

    /// <summary>A node that is gone cannot confirm: the revoke no longer waits for it (its sessions ended with it).</summary>
    private void ForgetRevokeConfirmation(Address address)
    {
        foreach ((long id, PendingRevoke pending) in _revokes.ToList())
        {
            if (pending.Waiting.Remove(address))
            {
                Finish(id, pending);
            }
        }
    }

    private sealed class PendingRevoke(IActorRef replyTo, Revocation revocation, long deadline)
    {
        public IActorRef ReplyTo { get; } = replyTo;
        public Revocation Revocation { get; } = revocation;
        public long Deadline { get; } = deadline;
        public HashSet<Address> Waiting { get; } = [];
        public Dictionary<string, int> Ended { get; } = new(StringComparer.Ordinal);
    }
}
