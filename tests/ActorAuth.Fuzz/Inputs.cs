using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;

namespace ActorAuth.Fuzz;

/// <summary>Bytes as a pipe hands them out: cut into segments at <see cref="Cuts"/>. Prints as hex, so a shrunk counterexample can be replayed.</summary>
public sealed record SegmentedBytes(byte[] Bytes, int[] Cuts, int MaxFrameLength)
{
    /// <inheritdoc />
    public override string ToString() => $"max={MaxFrameLength} cuts=[{string.Join(",", Cuts)}] hex={Hex.Of(Bytes)}";
}

/// <summary>Frames to write and read back, and where the stream is cut into segments.</summary>
public sealed record FramedPayloads(byte[][] Payloads, int[] Cuts)
{
    /// <inheritdoc />
    public override string ToString() => $"cuts=[{string.Join(",", Cuts)}] payloads=[{string.Join(", ", Payloads.Select(p => Hex.Of(p, 64)))}]";
}

/// <summary>Bytes for the plaintext parsers; prints as hex.</summary>
public sealed record Blob(byte[] Bytes)
{
    /// <inheritdoc />
    public override string ToString() => "hex=" + Hex.Of(Bytes);
}

/// <summary>
/// FsCheck generators and shrinkers for the framing and message properties. The generators lean on the
/// values that break framers: lengths 0, 1, max, max+1, 2^31, 2^32-1, a header that lies by a few bytes.
/// </summary>
internal static class Inputs
{
    private static readonly int[] MaxFrameLengths = [1, 4, 16, 255, 65536, int.MaxValue];

    private static Gen<byte> Byte => Gen.Choose(0, 255).Select(i => (byte)i);

    private static Gen<byte[]> Bytes(int maxLength) =>
        Gen.Choose(0, maxLength).SelectMany(n => Gen.ArrayOf(Byte, n));

    /// <summary>Arbitrary bytes, often starting with a hostile or nearly-right header, cut into segments.</summary>
    public static Arbitrary<SegmentedBytes> Segmented()
    {
        Gen<SegmentedBytes> gen =
            from max in Gen.Elements(MaxFrameLengths)
            from body in Bytes(200)
            from header in Gen.Frequency(
                (2, Gen.Constant<uint?>(null)),
                (1, Gen.Elements<uint?>(0u, 1u, 2u, 3u, 4u, 0x7FFF_FFFFu, 0x8000_0000u, 0xFFFF_FFFFu, 65536u, 65537u)),
                (1, Gen.Choose(-3, 3).Select(d => (uint?)(uint)Math.Max(0, Math.Min(max, body.Length) + d))),
                (1, Gen.Constant<uint?>(max == int.MaxValue ? null : (uint)max + 1)))
            let bytes = header is uint h ? WithHeader(h, body) : body
            from cuts in Cuts(bytes.Length)
            select new SegmentedBytes(bytes, cuts, max);
        return Arb.From(gen, ShrinkSegmented);
    }

    /// <summary>1–8 non-empty payloads (now and then one of tens of KiB), and cuts of the framed stream.</summary>
    public static Arbitrary<FramedPayloads> Framed()
    {
        Gen<byte[]> payload = Gen.Frequency(
            (20, Gen.Choose(1, 300).SelectMany(n => Gen.ArrayOf(Byte, n))),
            (1, Gen.Choose(1000, 70_000).Select(n => Enumerable.Range(0, n).Select(i => (byte)(i * 31)).ToArray())));
        Gen<FramedPayloads> gen =
            from payloads in Gen.Choose(1, 8).SelectMany(n => Gen.ArrayOf(payload, n))
            from cuts in Cuts(payloads.Sum(p => p.Length + 4))
            select new FramedPayloads(payloads, cuts);
        return Arb.From(gen, ShrinkFramed);
    }

    /// <summary>Arbitrary bytes, or a valid request/reply/greeting with a few bytes changed.</summary>
    public static Arbitrary<Blob> Plaintext()
    {
        byte[][] seeds =
        [
            new Protocol.Greeting { Client = "alice@ACTORAUTH.TEST", Service = "actorauth/localhost", Package = "Kerberos", Protection = "encrypt", Impersonation = "Identification", Operations = ["echo", "whoami"] }.ToUtf8(),
            new Protocol.Greeting { Status = "refused", Reason = "protection-requirements-not-met", Message = "no" }.ToUtf8(),
            [4, (byte)'e', (byte)'c', (byte)'h', (byte)'o', (byte)'h', (byte)'i'],
            [0, 1, 2, 3],
            [1, (byte)'o', (byte)'k'],
            "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]"u8.ToArray(),
            "{\"operations\":[null,1,{}],\"status\":null}"u8.ToArray(),
        ];
        Gen<byte[]> mutated =
            from seed in Gen.Elements(seeds)
            from edits in Gen.ListOf(Gen.Zip(Gen.Choose(0, 1 << 20), Byte), 3)
            select Edit(seed, edits);
        Gen<Blob> gen = Gen.Frequency((1, Bytes(300)), (1, mutated)).Select(b => new Blob(b));
        return Arb.From(gen, blob => ShrinkBytes(blob.Bytes).Select(b => new Blob(b)));
    }

    /// <summary>
    /// Context tokens for the AP-REQ reader: real ones (<paramref name="seeds"/>) cut short, with bytes changed, or
    /// with a DER length byte made to claim up to 2^64 (the classic parser trap), or arbitrary bytes.
    /// </summary>
    public static Arbitrary<Blob> Tokens(byte[][] seeds)
    {
        Gen<byte[]> edited =
            from seed in Gen.Elements(seeds)
            from edits in Gen.ListOf(Gen.Zip(Gen.Choose(0, 1 << 20), Byte), 3)
            select Edit(seed, edits);
        Gen<byte[]> cut =
            from seed in Gen.Elements(seeds)
            from length in Gen.Choose(0, 1 << 20)
            select seed[..(length % (seed.Length + 1))];
        Gen<byte[]> lying =
            from seed in Gen.Elements(seeds)
            from position in Gen.Choose(0, 1 << 20)
            from length in Gen.Elements<byte>(0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x88, 0x89, 0xFF)
            select Edit(seed, [(position, length)]);
        Gen<Blob> gen = Gen.Frequency((1, Bytes(300)), (2, edited), (1, cut), (2, lying)).Select(b => new Blob(b));
        return Arb.From(gen, blob => ShrinkBytes(blob.Bytes).Select(b => new Blob(b)));
    }

    /// <summary>
    /// PROXY protocol headers (v2 IPv4, IPv6, LOCAL, with TLVs; v1 TCP4, TCP6, UNKNOWN) with a few bytes changed, a length
    /// that lies, cut short or followed by more, or arbitrary bytes; cut into segments, with a maximum from 52 to 64 KiB.
    /// </summary>
    public static Arbitrary<SegmentedBytes> ProxyHeaders()
    {
        static byte[] V2(System.Net.IPEndPoint? source, System.Net.IPEndPoint? destination, params byte[] after)
        {
            var writer = new System.Buffers.ArrayBufferWriter<byte>();
            Protocol.ProxyHeader.WriteV2(writer, source, destination);
            return [.. writer.WrittenSpan, .. after];
        }

        var v4 = new System.Net.IPEndPoint(System.Net.IPAddress.Parse("192.0.2.7"), 56324);
        var v6 = new System.Net.IPEndPoint(System.Net.IPAddress.Parse("2001:db8::7"), 40000);
        byte[] withTlvs = V2(v4, v4);
        withTlvs[15] += 6;
        byte[][] seeds =
        [
            V2(v4, v4, 4, 0, 0, 0, 1),
            V2(v6, v6),
            V2(null, null),
            [.. withTlvs, 0x05, 0x00, 0x03, 0xAA, 0xBB, 0xCC],
            "PROXY TCP4 192.0.2.7 198.51.100.1 56324 443\r\n"u8.ToArray(),
            "PROXY TCP6 2001:db8::7 2001:db8::1 40000 2000\r\nrest"u8.ToArray(),
            "PROXY UNKNOWN\r\n"u8.ToArray(),
        ];
        Gen<byte[]> mutated =
            from seed in Gen.Elements(seeds)
            from edits in Gen.ListOf(Gen.Zip(Gen.Choose(0, 1 << 20), Byte), 3)
            from keep in Gen.Frequency((3, Gen.Constant(int.MaxValue)), (1, Gen.Choose(0, seed.Length)))
            from tail in Gen.Frequency((3, Gen.Constant(Array.Empty<byte>())), (1, Bytes(200)))
            let edited = Edit(seed, edits)
            select (byte[])[.. edited.AsSpan(0, Math.Min(keep, edited.Length)), .. tail];
        Gen<SegmentedBytes> gen =
            from bytes in Gen.Frequency((1, Bytes(300)), (4, mutated))
            from max in Gen.Elements(Protocol.ProxyHeader.MinMaxLength, 107, Protocol.ProxyHeader.DefaultMaxLength, 16 + 65535)
            from cuts in Cuts(bytes.Length)
            select new SegmentedBytes(bytes, cuts, max);
        return Arb.From(gen, ShrinkSegmented);
    }

    private static byte[] WithHeader(uint length, byte[] body)
    {
        var bytes = new byte[4 + body.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, length);
        body.CopyTo(bytes, 4);
        return bytes;
    }

    private static byte[] Edit(byte[] seed, IEnumerable<(int Position, byte Value)> edits)
    {
        byte[] bytes = (byte[])seed.Clone();
        foreach ((int position, byte value) in edits)
        {
            bytes[position % bytes.Length] = value;
        }

        return bytes;
    }

    private static Gen<int[]> Cuts(int length) =>
        length <= 1
            ? Gen.Constant(Array.Empty<int>())
            : Gen.ListOf(Gen.Choose(1, length - 1), 6).Select(c => c.Distinct().Order().ToArray());

    private static IEnumerable<SegmentedBytes> ShrinkSegmented(SegmentedBytes input)
    {
        foreach (int[] cuts in ShrinkCuts(input.Cuts))
        {
            yield return input with { Cuts = cuts };
        }

        foreach (byte[] bytes in ShrinkBytes(input.Bytes))
        {
            yield return input with { Bytes = bytes, Cuts = input.Cuts.Where(c => c < bytes.Length).ToArray() };
        }
    }

    private static IEnumerable<FramedPayloads> ShrinkFramed(FramedPayloads input)
    {
        foreach (int[] cuts in ShrinkCuts(input.Cuts))
        {
            yield return input with { Cuts = cuts };
        }

        for (int i = 0; i < input.Payloads.Length && input.Payloads.Length > 1; i++)
        {
            byte[][] fewer = [.. input.Payloads[..i], .. input.Payloads[(i + 1)..]];
            int length = fewer.Sum(p => p.Length + 4);
            yield return new FramedPayloads(fewer, input.Cuts.Where(c => c < length).ToArray());
        }

        for (int i = 0; i < input.Payloads.Length; i++)
        {
            if (input.Payloads[i].Length > 1)
            {
                byte[][] shorter = (byte[][])input.Payloads.Clone();
                shorter[i] = shorter[i][..(shorter[i].Length / 2)];
                int length = shorter.Sum(p => p.Length + 4);
                yield return new FramedPayloads(shorter, input.Cuts.Where(c => c < length).ToArray());
            }
        }

    }

    private static IEnumerable<int[]> ShrinkCuts(int[] cuts)
    {
        for (int i = 0; i < cuts.Length; i++)
        {
            yield return [.. cuts[..i], .. cuts[(i + 1)..]];
        }
    }

    /// <summary>Shorter first (halves, then one byte less at each end), then simpler bytes (zeroed).</summary>
    internal static IEnumerable<byte[]> ShrinkBytes(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            yield break;
        }

        yield return bytes[..(bytes.Length / 2)];
        yield return bytes[(bytes.Length / 2)..];
        yield return bytes[..^1];
        yield return bytes[1..];
        for (int i = 0; i < Math.Min(bytes.Length, 64); i++)
        {
            yield return [.. bytes[..i], .. bytes[(i + 1)..]];
        }

        for (int i = 0; i < Math.Min(bytes.Length, 64); i++)
        {
            if (bytes[i] != 0)
            {
                byte[] simpler = (byte[])bytes.Clone();
                simpler[i] = 0;
                yield return simpler;
            }
        }
    }
}
