using System.Buffers.Binary;

namespace ActorAuth.Fuzz;

/// <summary>
/// The seeded mutation engine of the network fuzzer. From recorded real frames (handshake tokens, wrap
/// tokens) it builds a hostile byte stream: payload mutations (bit flips, byte sets, inserts, deletes,
/// truncation, splicing two tokens, repeating, dropping and swapping frames, garbage frames), header
/// mutations (length prefixes that lie by a few bytes, zero, max+1, 2^31, 4 GiB-1), a cut-off or
/// over-long stream, and how it is sliced into TCP writes. Every choice comes from one <see cref="Random"/>
/// seeded by (run seed, case index), so a case replays from those two numbers; positions are taken modulo
/// the frame lengths, so the same case mutates a re-recorded token of the same shape the same way.
/// </summary>
internal static class Mutator
{
    private static readonly byte[] Interesting = [0x00, 0x01, 0x7F, 0x80, 0x81, 0x82, 0x84, 0xFF, 0x60, 0x30, 0xA0, 0x05, 0x04];

    /// <summary>A generator for case <paramref name="index"/> of the run with <paramref name="seed"/> (deterministic across processes).</summary>
    public static Random For(int seed, int index, int stream)
    {
        ulong z = ((ulong)(uint)seed << 32 | (uint)index) + (ulong)stream * 0x9E37_79B9_7F4A_7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EBUL;
        return new Random((int)(z ^ (z >> 31)));
    }

    /// <summary>
    /// Builds the stream: <paramref name="primary"/> frames (in order, e.g. a fresh token or a session's wrap
    /// tokens) with <paramref name="others"/> available for splicing and stray frames.
    /// </summary>
    public static FuzzStream Mutate(Random rng, IReadOnlyList<byte[]> primary, IReadOnlyList<byte[]> others, uint maxFrame)
    {
        var ops = new List<string>();
        List<byte[]> frames = MutateFrames(rng, primary, others, ops);
        var stream = new List<byte>();
        for (int f = 0; f < frames.Count; f++)
        {
            uint length = (uint)frames[f].Length;
            uint header = length;
            switch (rng.Next(14))
            {
                case 0:
                    header = (uint)Math.Max(0, (long)length + rng.Next(-8, 9));
                    ops.Add($"header f{f} lies {header} (payload {length})");
                    break;
                case 1:
                    header = 0;
                    ops.Add($"header f{f} zero");
                    break;
                case 2:
                {
                    uint[] huge = [maxFrame + 1, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, (uint)rng.Next() | 0x0100_0000];
                    header = huge[rng.Next(huge.Length)];
                    ops.Add($"header f{f} huge {header}");
                    break;
                }
            }

            var bytes = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, header);
            stream.AddRange(bytes);
            stream.AddRange(frames[f]);
        }

        if (rng.Next(5) == 0 && stream.Count > 0)
        {
            int keep = rng.Next(stream.Count);
            stream.RemoveRange(keep, stream.Count - keep);
            ops.Add($"stream cut at {keep}");
        }
        else if (rng.Next(10) == 0)
        {
            int length = 1 + rng.Next(16);
            stream.AddRange(Random(rng, length));
            ops.Add($"stream tail +{length}");
        }

        byte[] all = [.. stream];
        int writes = all.Length <= 1 ? 1 : 1 + rng.Next(Math.Min(8, all.Length));
        int[] cuts = Enumerable.Range(0, writes - 1).Select(_ => 1 + rng.Next(all.Length - 1)).Distinct().Order().ToArray();
        int delayMs = rng.Next(4) == 0 ? rng.Next(1, 40) : 0;
        bool halfClose = rng.Next(2) == 0;
        ops.Add($"{cuts.Length + 1} write(s){(delayMs > 0 ? $" {delayMs} ms apart" : "")}, then {(halfClose ? "FIN" : "wait")}");
        return new FuzzStream(all, cuts, delayMs, halfClose, ops);
    }

    /// <summary>
    /// The payload mutations alone, for parsers that take one token rather than a stream: copies of a prefix of
    /// <paramref name="primary"/>, mutated (with <paramref name="others"/> to splice from), each operation named in
    /// <paramref name="ops"/>.
    /// </summary>
    public static List<byte[]> MutateFrames(Random rng, IReadOnlyList<byte[]> primary, IReadOnlyList<byte[]> others, List<string> ops)
    {
        var frames = primary.Take(1 + rng.Next(primary.Count)).Select(f => (byte[])f.Clone()).ToList();
        int mutations = rng.Next(10) == 0 ? 0 : 1 + rng.Next(4);
        for (int m = 0; m < mutations; m++)
        {
            int f = rng.Next(frames.Count);
            byte[] frame = frames[f];
            switch (rng.Next(12))
            {
                case 0 or 1:
                {
                    int flips = 1 + rng.Next(frame.Length > 0 ? 8 : 1);
                    for (int i = 0; i < flips && frame.Length > 0; i++)
                    {
                        int at = rng.Next(frame.Length);
                        int bit = rng.Next(8);
                        frame[at] ^= (byte)(1 << bit);
                        ops.Add($"flip f{f}@{at}.{bit}");
                    }

                    break;
                }

                case 2:
                    if (frame.Length > 0)
                    {
                        int at = rng.Next(frame.Length);
                        frame[at] = Interesting[rng.Next(Interesting.Length)];
                        ops.Add($"set f{f}@{at}={frame[at]:x2}");
                    }

                    break;
                case 3:
                {
                    int at = rng.Next(frame.Length + 1);
                    byte[] inserted = Random(rng, 1 + rng.Next(16));
                    frames[f] = [.. frame[..at], .. inserted, .. frame[at..]];
                    ops.Add($"insert f{f}@{at}+{inserted.Length}");
                    break;
                }

                case 4:
                    if (frame.Length > 0)
                    {
                        int at = rng.Next(frame.Length);
                        int count = Math.Min(1 + rng.Next(32), frame.Length - at);
                        frames[f] = [.. frame[..at], .. frame[(at + count)..]];
                        ops.Add($"delete f{f}@{at}-{count}");
                    }

                    break;
                case 5:
                {
                    int length = rng.Next(frame.Length + 1);
                    frames[f] = frame[..length];
                    ops.Add($"truncate f{f} to {length}");
                    break;
                }

                case 6:
                {
                    byte[] other = others.Count > 0 ? others[rng.Next(others.Count)] : frame;
                    int cutA = rng.Next(frame.Length + 1);
                    int cutB = rng.Next(other.Length + 1);
                    frames[f] = [.. frame[..cutA], .. other[cutB..]];
                    ops.Add($"splice f{f}[..{cutA}]+other[{cutB}..]");
                    break;
                }

                case 7:
                {
                    int times = 1 + rng.Next(3);
                    for (int i = 0; i < times; i++)
                    {
                        frames.Insert(f, (byte[])frames[f].Clone());
                    }

                    ops.Add($"repeat f{f} x{times}");
                    break;
                }

                case 8:
                    if (frames.Count > 1)
                    {
                        int g = rng.Next(frames.Count);
                        (frames[f], frames[g]) = (frames[g], frames[f]);
                        ops.Add($"swap f{f}<->f{g}");
                    }
                    else if (others.Count > 0)
                    {
                        frames.Insert(rng.Next(2), (byte[])others[rng.Next(others.Count)].Clone());
                        ops.Add("stray frame");
                    }

                    break;
                case 9:
                {
                    int at = rng.Next(frames.Count + 1);
                    int length = rng.Next(4) == 0 ? 1 + rng.Next(4000) : 1 + rng.Next(64);
                    frames.Insert(at, Random(rng, length));
                    ops.Add($"garbage frame @{at} len {length}");
                    break;
                }

                case 10:
                    if (frames.Count > 1)
                    {
                        frames.RemoveAt(f);
                        ops.Add($"drop f{f}");
                    }

                    break;
                default:
                    if (frame.Length > 0)
                    {
                        // An ASN.1/DER length byte is the classic parser trap: make one claim a lot.
                        int at = rng.Next(frame.Length);
                        frame[at] = (byte)(0x80 | rng.Next(1, 5));
                        ops.Add($"der-length f{f}@{at}={frame[at]:x2}");
                    }

                    break;
            }
        }

        return frames;
    }

    private static byte[] Random(Random rng, int length)
    {
        var bytes = new byte[length];
        rng.NextBytes(bytes);
        return bytes;
    }
}

/// <summary>What the fuzzer sends on one connection: the bytes, where they are cut into writes, and how it ends.</summary>
internal sealed record FuzzStream(byte[] Bytes, int[] Cuts, int DelayMs, bool HalfClose, IReadOnlyList<string> Operations)
{
    /// <summary>The writes, in order.</summary>
    public IEnumerable<ReadOnlyMemory<byte>> Writes()
    {
        int start = 0;
        foreach (int cut in Cuts.Append(Bytes.Length))
        {
            yield return Bytes.AsMemory(start, cut - start);
            start = cut;
        }
    }
}
