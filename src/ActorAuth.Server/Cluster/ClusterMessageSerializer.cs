using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using ActorAuth.Security.Kerberos;
using Akka.Actor;
using System.Runtime.Serialization;
using Akka.Serialization;

namespace ActorAuth.Server.Cluster;

/// <summary>
/// Writes the messages ActorAuth's nodes exchange in a compact binary form: Akka's default for other types is JSON,
/// which would cost several times the CPU of a replay check. Integers are big-endian, strings length-prefixed UTF-8.
/// A malformed payload throws <see cref="SerializationException"/>, which Akka.Remote logs and drops.
/// </summary>
public sealed class ClusterMessageSerializer : SerializerWithStringManifest
{
    /// <summary>The serializer's id: unique among the system's serializers (Akka reserves 0–100).</summary>
    public const int SerializerId = 5_417_001;

    /// <summary>Creates the serializer for <paramref name="system"/>.</summary>
    public ClusterMessageSerializer(ExtendedActorSystem system) : base(system)
    {
    }

    /// <inheritdoc />
    public override int Identifier => SerializerId;

    /// <inheritdoc />
    public override string Manifest(object o) => o switch
    {
        ReplayChecks => "RC",
        ReplayVotes => "RV",
        ReplaySnapshotRequest => "RQ",
        ReplaySnapshotChunk => "RS",
        SessionDelta => "SD",
        SessionSnapshot => "SS",
        SessionSnapshotRequest => "SQ",
        RevokeRequest => "VR",
        RevokeApplied => "VA",
        AddressAdmissions => "AA",
        _ => throw new ArgumentException($"{o.GetType()} is not an ActorAuth cluster message.", nameof(o)),
    };

    /// <inheritdoc />
    public override byte[] ToBinary(object obj)
    {
        var w = new Writer();
        switch (obj)
        {
            case ReplayChecks checks:
                w.Int(checks.Checks.Count);
                foreach (ReplayCheck c in checks.Checks)
                {
                    w.Long(c.Id);
                    w.Tag(c.Tag);
                    w.Long(c.Expiry);
                }

                break;
            case ReplayVotes votes:
                w.Int(votes.Votes.Count);
                foreach (ReplayVote v in votes.Votes)
                {
                    w.Long(v.Id);
                    w.Byte((byte)v.Verdict);
                }

                break;
            case ReplaySnapshotRequest or SessionSnapshotRequest:
                break;
            case ReplaySnapshotChunk chunk:
                w.Bool(chunk.Last);
                w.Int(chunk.Entries.Count);
                foreach ((ReplayTag tag, long expiry) in chunk.Entries)
                {
                    w.Tag(tag);
                    w.Long(expiry);
                }

                break;
            case SessionDelta d:
                w.Entries(d.Added);
                w.Int(d.Removed.Count);
                foreach (long id in d.Removed)
                {
                    w.Long(id);
                }

                break;
            case SessionSnapshot s:
                w.Bool(s.First);
                w.Bool(s.Last);
                w.Entries(s.Entries);
                w.Int(s.Revocations.Count);
                foreach (Revocation r in s.Revocations)
                {
                    w.Revocation(r);
                }

                break;
            case RevokeRequest r:
                w.Long(r.Id);
                w.Revocation(r.Revocation);
                break;
            case RevokeApplied a:
                w.Long(a.Id);
                w.Int(a.Ended);
                break;
            case AddressAdmissions admissions:
                w.String(admissions.Listener);
                w.Int(admissions.Admitted.Count);
                foreach ((System.Net.IPAddress address, int connections) in admissions.Admitted)
                {
                    w.Address(address);
                    w.Int(connections);
                }

                break;
            default:
                throw new ArgumentException($"{obj.GetType()} is not an ActorAuth cluster message.", nameof(obj));
        }

        return w.ToArray();
    }

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, string manifest)
    {
        var r = new Reader(bytes);
        try
        {
            return manifest switch
            {
                "RC" => new ReplayChecks(r.List(static (ref Reader x) => new ReplayCheck(x.Long(), x.Tag(), x.Long()))),
                "RV" => new ReplayVotes(r.List(static (ref Reader x) => new ReplayVote(x.Long(), (ReplayVerdict)x.Byte()))),
                "RQ" => ReplaySnapshotRequest.Instance,
                "RS" => ReadChunk(ref r),
                "SD" => new SessionDelta(r.Entries(), r.List(static (ref Reader x) => x.Long())),
                "SS" => ReadSnapshot(ref r),
                "SQ" => SessionSnapshotRequest.Instance,
                "VR" => new RevokeRequest(r.Long(), r.Revocation()),
                "VA" => new RevokeApplied(r.Long(), r.Int()),
                "AA" => new AddressAdmissions(r.String(), r.List(static (ref Reader x) => (x.Address(), x.Int()))),
                _ => throw new SerializationException($"Unknown ActorAuth cluster message manifest '{manifest}'."),
            };
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new SerializationException($"A truncated ActorAuth cluster message ({manifest}, {bytes.Length} bytes).", e);
        }
    }

    private static ReplaySnapshotChunk ReadChunk(ref Reader r)
    {
        bool last = r.Bool();
        return new ReplaySnapshotChunk(r.List(static (ref Reader x) => (x.Tag(), x.Long())), last);
    }

    private static SessionSnapshot ReadSnapshot(ref Reader r)
    {
        bool first = r.Bool(), last = r.Bool();
        IReadOnlyList<SessionEntry> entries = r.Entries();
        return new SessionSnapshot(entries, r.List(static (ref Reader x) => x.Revocation()), first, last);
    }

    private sealed class Writer
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(64);

        public void Byte(byte value)
        {
            _buffer.GetSpan(1)[0] = value;
            _buffer.Advance(1);
        }

        public void Bool(bool value) => Byte(value ? (byte)1 : (byte)0);

        public void Int(int value)
        {
            BinaryPrimitives.WriteInt32BigEndian(_buffer.GetSpan(4), value);
            _buffer.Advance(4);
        }

        public void Long(long value)
        {
            BinaryPrimitives.WriteInt64BigEndian(_buffer.GetSpan(8), value);
            _buffer.Advance(8);
        }

        public void Tag(ReplayTag tag)
        {
            tag.WriteTo(_buffer.GetSpan(ReplayTag.Size));
            _buffer.Advance(ReplayTag.Size);
        }

        public void String(string value)
        {
            int length = Encoding.UTF8.GetByteCount(value);
            Int(length);
            _buffer.Advance(Encoding.UTF8.GetBytes(value, _buffer.GetSpan(length)));
        }

        public void Entries(IReadOnlyList<SessionEntry> entries)
        {
            Int(entries.Count);
            foreach (SessionEntry e in entries)
            {
                String(e.Node);
                Long(e.ConnectionId);
                String(e.Principal);
                String(e.Listener);
                String(e.Remote);
                Long(e.SinceUnixMs);
            }
        }

        public void Address(System.Net.IPAddress address)
        {
            Span<byte> bytes = stackalloc byte[16];
            address.TryWriteBytes(bytes, out int written);
            Byte((byte)written);
            bytes[..written].CopyTo(_buffer.GetSpan(written));
            _buffer.Advance(written);
        }

        public void Revocation(Revocation r)
        {
            String(r.Principal);
            Long(r.UntilUnixMs);
        }

        public byte[] ToArray() => _buffer.WrittenSpan.ToArray();
    }

    private ref struct Reader(byte[] bytes)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        private int _at;

        public delegate T Item<out T>(ref Reader reader);

        public byte Byte() => _bytes[_at++];

        public bool Bool() => Byte() != 0;

        public int Int()
        {
            int value = BinaryPrimitives.ReadInt32BigEndian(_bytes.Slice(_at, 4));
            _at += 4;
            return value;
        }

        public long Long()
        {
            long value = BinaryPrimitives.ReadInt64BigEndian(_bytes.Slice(_at, 8));
            _at += 8;
            return value;
        }

        public ReplayTag Tag()
        {
            ReplayTag tag = ReplayTag.Read(_bytes.Slice(_at, ReplayTag.Size));
            _at += ReplayTag.Size;
            return tag;
        }

        public string String()
        {
            int length = Int();
            string value = Encoding.UTF8.GetString(_bytes.Slice(_at, length));
            _at += length;
            return value;
        }

        public List<T> List<T>(Item<T> read)
        {
            int count = Int();
            // Each item takes at least one byte: a count beyond what is left is a malformed message, not an allocation.
            if ((uint)count > (uint)(_bytes.Length - _at))
            {
                throw new ArgumentOutOfRangeException(nameof(count), count, "more items than bytes");
            }

            var items = new List<T>(count);
            for (int i = 0; i < count; i++)
            {
                items.Add(read(ref this));
            }

            return items;
        }

        public IReadOnlyList<SessionEntry> Entries() =>
            List(static (ref Reader x) => new SessionEntry(x.String(), x.Long(), x.String(), x.String(), x.String(), x.Long()));

        public Revocation Revocation() => new(String(), Long());

        public System.Net.IPAddress Address()
        {
            int length = Byte();
            var address = new System.Net.IPAddress(_bytes.Slice(_at, length is 4 or 16 ? length : throw new ArgumentOutOfRangeException(nameof(length), length, "not an IPv4 or IPv6 address")));
            _at += length;
            return address;
        }
    }
}
