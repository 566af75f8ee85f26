using Akka.Actor;
using Akka.Cluster;

namespace ActorAuth.Server.Cluster;

/// <summary>
/// The same-named actor on every other member, as its owner learns of them from member events: a resolved reference
/// per member (a selection would be re-resolved and wrapped on every send) and the member's status. Members that are
/// down or removed leave. Owned by one actor; not thread-safe.
/// </summary>
internal sealed class ClusterPeers(ActorSystem system, string actorName)
{
    private readonly Dictionary<Address, (IActorRef Actor, MemberStatus Status)> _peers = [];

    /// <summary>The other members not down or removed, with their actors and statuses.</summary>
    public IReadOnlyDictionary<Address, (IActorRef Actor, MemberStatus Status)> All => _peers;

    /// <summary>The other members' actors.</summary>
    public IEnumerable<IActorRef> Actors => _peers.Values.Select(p => p.Actor);

    /// <summary>How many other members there are.</summary>
    public int Count => _peers.Count;

    /// <summary>Applies a member event about another member; returns whether it is new (first seen) or gone.</summary>
    public PeerChange Apply(Member member)
    {
        if (member.Status is MemberStatus.Down or MemberStatus.Removed)
        {
            return _peers.Remove(member.Address) ? PeerChange.Gone : PeerChange.None;
        }

        bool known = _peers.TryGetValue(member.Address, out var peer);
        _peers[member.Address] = (known ? peer.Actor : ActorAt(member.Address), member.Status);
        return known ? PeerChange.None : PeerChange.New;
    }

    /// <summary>Sends <paramref name="message"/> to every other member's actor.</summary>
    public void Tell(object message, IActorRef sender)
    {
        foreach ((IActorRef actor, MemberStatus _) in _peers.Values)
        {
            actor.Tell(message, sender);
        }
    }

    private IActorRef ActorAt(Address address) =>
        ((ExtendedActorSystem)system).Provider.ResolveActorRef(new RootActorPath(address) / "user" / actorName);
}

/// <summary>What a member event changed in <see cref="ClusterPeers"/>.</summary>
internal enum PeerChange
{
    /// <summary>Nothing: a known member changed status.</summary>
    None,

    /// <summary>A member first seen.</summary>
    New,

    /// <summary>A member down or removed.</summary>
    Gone,
}
