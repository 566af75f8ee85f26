using System.Net;
using System.Runtime.Serialization;
using ActorAuth.Security.Kerberos;
using ActorAuth.Server.Cluster;
using Akka.Actor;
using Akka.Configuration;

namespace ActorAuth.Server.Tests.Cluster;

public sealed class ClusterMessageSerializerTests : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("serializer-spec", ConfigurationFactory.ParseString("akka.loglevel = OFF"));
    private readonly ClusterMessageSerializer _serializer;

    public ClusterMessageSerializerTests() => _serializer = new ClusterMessageSerializer((ExtendedActorSystem)_system);

    private T RoundTrip<T>(T message) where T : notnull =>
        (T)_serializer.FromBinary(_serializer.ToBinary(message), _serializer.Manifest(message));

    [Fact]
    public void Replay_messages_survive_the_wire()
    {
        var tag = new ReplayTag(0x0123456789abcdef, 0xfedcba9876543210);

        Assert.Equal([new ReplayCheck(7, tag, 1_700_000_000_000), new ReplayCheck(8, tag, 1)], RoundTrip(new ReplayChecks([new ReplayCheck(7, tag, 1_700_000_000_000), new ReplayCheck(8, tag, 1)])).Checks);
        Assert.Equal([new ReplayVote(7, ReplayVerdict.Seen), new ReplayVote(8, ReplayVerdict.FirstSeen)], RoundTrip(new ReplayVotes([new ReplayVote(7, ReplayVerdict.Seen), new ReplayVote(8, ReplayVerdict.FirstSeen)])).Votes);
        ReplaySnapshotChunk chunk = RoundTrip(new ReplaySnapshotChunk([(tag, 5L), (new ReplayTag(1, 2), 6L)], Last: true));
        Assert.True(chunk.Last);
        Assert.Equal([(tag, 5L), (new ReplayTag(1, 2), 6L)], chunk.Entries);
    }

    [Fact]
    public void Registry_messages_survive_the_wire_with_non_ascii_principals()
    {
        var entry = new SessionEntry("127.0.0.1:4053", 42, "jürgen@ACTORAUTH.TEST", "sockauth", "127.0.0.9:50000", 1_700_000_000_123);

        SessionDelta delta = RoundTrip(new SessionDelta([entry], [1, 2, 3]));
        SessionSnapshot snapshot = RoundTrip(new SessionSnapshot([entry], [new Revocation("bob@ACTORAUTH.TEST", 99)], First: true, Last: false));

        Assert.Equal(entry, Assert.Single(delta.Added));
        Assert.Equal([1L, 2L, 3L], delta.Removed);
        Assert.Equal(new Revocation("bob@ACTORAUTH.TEST", 99), Assert.Single(snapshot.Revocations));
        Assert.True(snapshot.First && !snapshot.Last);
        Assert.Equal(new RevokeRequest(3, new Revocation("a@R", 1)), RoundTrip(new RevokeRequest(3, new Revocation("a@R", 1))));
        Assert.Equal(new RevokeApplied(3, 2), RoundTrip(new RevokeApplied(3, 2)));
    }

    [Fact]
    public void Address_admissions_keep_IPv4_and_IPv6_addresses()
    {
        AddressAdmissions admissions = RoundTrip(new AddressAdmissions("sockauth", [(IPAddress.Parse("127.0.0.9"), 3), (IPAddress.IPv6Loopback, 1)]));

        Assert.Equal("sockauth", admissions.Listener);
        Assert.Equal([(IPAddress.Parse("127.0.0.9"), 3), (IPAddress.IPv6Loopback, 1)], admissions.Admitted);
    }

    [Fact]
    public void A_truncated_message_is_a_serialization_error_not_a_crash()
    {
        byte[] bytes = _serializer.ToBinary(new SessionDelta([new SessionEntry("n", 1, "p", "l", "r", 2)], [1]));

        for (int length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<SerializationException>(() => _serializer.FromBinary(bytes[..length], "SD"));
        }
    }

    [Fact]
    public void A_count_larger_than_the_message_allocates_nothing_and_fails()
    {
        byte[] bytes = [0x7f, 0xff, 0xff, 0xff];

        Assert.Throws<SerializationException>(() => _serializer.FromBinary(bytes, "SD"));
    }

    public void Dispose() => _system.Dispose();
}
