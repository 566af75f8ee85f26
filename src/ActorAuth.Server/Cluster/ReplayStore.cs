using ActorAuth.Security.Kerberos;

namespace ActorAuth.Server.Cluster;

/// <summary>How one replica answers a replay check.</summary>
public enum ReplayVerdict : byte
{
    /// <summary>Not seen before; recorded now.</summary>
    FirstSeen,

    /// <summary>Seen before: a replay.</summary>
    Seen,

    /// <summary>This replica is still copying the others' entries and does not vote (it has recorded the tag).</summary>
    NotReady,

    /// <summary>This replica holds its maximum of entries; it cannot vouch for a tag it did not record.</summary>
    Full,
}

/// <summary>
/// One node's replay-cache entries: tag → expiry (Unix milliseconds, chosen by the node that first asked, so every
/// replica forgets a tag at the same moment). Entries are pruned in insertion order, which is expiry order up to the
/// nodes' clock differences. Not thread-safe: its owner is the <see cref="ReplayCacheActor"/>.
/// </summary>
public sealed class ReplayStore
{
    private readonly Dictionary<ReplayTag, long> _expiries = [];
    private readonly Queue<(ReplayTag Tag, long Expiry)> _order = new();
    private readonly int _capacity;

    /// <summary>Creates an empty store that holds at most <paramref name="capacity"/> entries.</summary>
    public ReplayStore(int capacity) => _capacity = capacity;

    /// <summary>Entries held now.</summary>
    public int Count => _expiries.Count;

    /// <summary>Records <paramref name="tag"/> until <paramref name="expiry"/> unless it is held and unexpired.</summary>
    public ReplayVerdict TryInsert(ReplayTag tag, long expiry, long now)
    {
        if (_expiries.TryGetValue(tag, out long held))
        {
            if (held > now)
            {
                return ReplayVerdict.Seen;
            }

            _expiries[tag] = expiry;
            _order.Enqueue((tag, expiry));
            return ReplayVerdict.FirstSeen;
        }

        if (_expiries.Count >= _capacity)
        {
            Prune(now);
            if (_expiries.Count >= _capacity)
            {
                return ReplayVerdict.Full;
            }
        }

        _expiries.Add(tag, expiry);
        _order.Enqueue((tag, expiry));
        return ReplayVerdict.FirstSeen;
    }

    /// <summary>Adds entries copied from another replica (keeping the later expiry of a tag held twice).</summary>
    public void Merge(ReplayTag tag, long expiry, long now)
    {
        if (expiry <= now || (_expiries.TryGetValue(tag, out long held) && held >= expiry) || (_expiries.Count >= _capacity && !_expiries.ContainsKey(tag)))
        {
            return;
        }

        _expiries[tag] = expiry;
        _order.Enqueue((tag, expiry));
    }

    /// <summary>Forgets what expired by <paramref name="now"/>.</summary>
    public void Prune(long now)
    {
        while (_order.TryPeek(out (ReplayTag Tag, long Expiry) head) && head.Expiry <= now)
        {
            _order.Dequeue();
            // A tag re-recorded after it expired has a newer queue entry; only its own last expiry removes it.
            if (_expiries.TryGetValue(head.Tag, out long held) && held == head.Expiry)
            {
                _expiries.Remove(head.Tag);
            }
        }
    }

    /// <summary>The unexpired entries, for a replica that joins.</summary>
    public IEnumerable<(ReplayTag Tag, long Expiry)> Entries(long now)
    {
        foreach (KeyValuePair<ReplayTag, long> entry in _expiries)
        {
            if (entry.Value > now)
            {
                yield return (entry.Key, entry.Value);
            }
        }
    }
}
