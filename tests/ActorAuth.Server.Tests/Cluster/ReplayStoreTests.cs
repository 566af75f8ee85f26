using ActorAuth.Security.Kerberos;
using ActorAuth.Server.Cluster;

namespace ActorAuth.Server.Tests.Cluster;

public sealed class ReplayStoreTests
{
    private static readonly ReplayTag A = new(1, 1), B = new(2, 2), C = new(3, 3);

    [Fact]
    public void A_tag_is_first_seen_once_then_seen_until_it_expires()
    {
        var store = new ReplayStore(capacity: 10);

        Assert.Equal(ReplayVerdict.FirstSeen, store.TryInsert(A, expiry: 100, now: 0));
        Assert.Equal(ReplayVerdict.Seen, store.TryInsert(A, expiry: 150, now: 50));
        Assert.Equal(ReplayVerdict.FirstSeen, store.TryInsert(A, expiry: 200, now: 100));
    }

    [Fact]
    public void A_full_store_answers_full_rather_than_forget_an_unexpired_tag()
    {
        var store = new ReplayStore(capacity: 2);
        store.TryInsert(A, 100, 0);
        store.TryInsert(B, 100, 0);

        Assert.Equal(ReplayVerdict.Full, store.TryInsert(C, 100, 10));
        Assert.Equal(ReplayVerdict.Seen, store.TryInsert(A, 100, 10));
        Assert.Equal(ReplayVerdict.FirstSeen, store.TryInsert(C, 300, 100));
    }

    [Fact]
    public void Pruning_forgets_expired_tags_but_not_one_recorded_again_later()
    {
        var store = new ReplayStore(capacity: 10);
        store.TryInsert(A, 100, 0);
        store.TryInsert(B, 100, 0);
        store.TryInsert(A, 300, 150);

        store.Prune(200);

        Assert.Equal(1, store.Count);
        Assert.Equal(ReplayVerdict.Seen, store.TryInsert(A, 400, 250));
    }

    [Fact]
    public void Merged_entries_from_another_replica_count_as_seen_and_expired_ones_are_dropped()
    {
        var store = new ReplayStore(capacity: 10);

        store.Merge(A, 100, now: 10);
        store.Merge(B, 5, now: 10);

        Assert.Equal(ReplayVerdict.Seen, store.TryInsert(A, 200, 20));
        Assert.Equal(ReplayVerdict.FirstSeen, store.TryInsert(B, 200, 20));
        Assert.Equal([A, B], store.Entries(30).Select(e => e.Tag).OrderBy(t => t.High));
    }
}
