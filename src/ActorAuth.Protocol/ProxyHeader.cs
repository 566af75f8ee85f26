using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace ActorAuth.Protocol;

/// <summary>
/// The PROXY protocol header a TCP load balancer (HAProxy's <c>send-proxy-v2</c>) puts before the client's bytes, to
/// say whom it relays for (HAProxy's doc/proxy-protocol.txt). Version 2, binary:
/// <code>
///  0       1       2       3       4       5       6       7       8       9      10      11
/// +-------+-------+-------+-------+-------+-------+-------+-------+-------+-------+-------+-------+
/// |  0D      0A      0D      0A      00      0D      0A      51      55      49      54      0A   |  signature
/// +-------+-------+-------+-------+-------+-------+-------+-------+-------+-------+-------+-------+
///  12              13              14      15
/// +---------------+---------------+---------------+
/// | ver=2 | cmd   | family| proto | length (BE16) |  cmd: 0 LOCAL, 1 PROXY; family: 0 UNSPEC, 1 INET, 2 INET6, 3 UNIX;
/// +---------------+---------------+---------------+  proto: 0 UNSPEC, 1 STREAM, 2 DGRAM; length: bytes that follow
///  16 ... 16+length
/// +-----------------------------------------------------------------------------------------------+
/// | INET: src addr (4), dst addr (4), src port (2), dst port (2) = 12; INET6: 16 + 16 + 2 + 2 = 36; |
/// | UNIX: 108 + 108; then TLVs (type, BE16 length, value) up to length — skipped here               |
/// +-----------------------------------------------------------------------------------------------+
/// </code>
/// Version 1, one US-ASCII line of at most 107 bytes: <c>PROXY TCP4 192.0.2.1 198.51.100.1 56324 443\r\n</c>
/// (<c>TCP6</c> with IPv6 addresses; <c>PROXY UNKNOWN …\r\n</c> when the proxy cannot tell).
/// A LOCAL command (a proxy's own health check), an UNSPEC/UNIX/DGRAM block and v1's UNKNOWN complete with no
/// source address: the connection's own endpoints stand, as the spec says. Pure: no socket, no logging; bad bytes
/// are a status, never an exception.
/// </summary>
public static class ProxyHeader
{
    /// <summary>Bytes in a v2 header before its address block.</summary>
    public const int V2FixedLength = 16;

    /// <summary>The longest v1 line the spec allows, CRLF included.</summary>
    public const int V1MaxLength = 107;

    /// <summary>The smallest maximum a reader may be given: a v2 header with IPv6 addresses and no TLVs.</summary>
    public const int MinMaxLength = V2FixedLength + 36;

    /// <summary>The default maximum header length: room for the TLVs a proxy may add (unique id, TLS details).</summary>
    public const int DefaultMaxLength = 1024;

    /// <summary>The fewest bytes <see cref="IsHeaderStart"/> needs; every framer of ActorAuth's dialects decides with as many.</summary>
    public const int MinDetectLength = 4;

    private const int Ipv4Block = 12;
    private const int Ipv6Block = 36;

    private static ReadOnlySpan<byte> V2Signature => [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    private static ReadOnlySpan<byte> V1Prefix => "PROXY "u8;

    private enum Match
    {
        None,
        Partial,
        Full,
    }

    /// <summary>
    /// Reads a v2 or v1 header from the start of <paramref name="buffer"/>. On <see cref="ProxyHeaderStatus.Complete"/>
    /// the buffer is advanced past it and <paramref name="source"/>/<paramref name="destination"/> are the relayed
    /// connection's endpoints (both null for LOCAL, UNSPEC, UNIX, DGRAM and UNKNOWN: use the connection's own); on any
    /// other status nothing is consumed. A v2 length over <paramref name="maxLength"/> is refused from the fixed part
    /// alone, before waiting for (or buffering) its body.
    /// </summary>
    public static ProxyHeaderStatus TryRead(ref ReadOnlySequence<byte> buffer, int maxLength, out IPEndPoint? source, out IPEndPoint? destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, MinMaxLength);
        source = null;
        destination = null;
        Span<byte> head = stackalloc byte[V1MaxLength];
        head = head[..(int)Math.Min(buffer.Length, V1MaxLength)];
        buffer.Slice(0, head.Length).CopyTo(head);

        Match v2 = Compare(head, V2Signature);
        Match v1 = Compare(head, V1Prefix);
        ProxyHeaderStatus status;
        int length;
        if (v2 == Match.Full)
        {
            status = ReadV2(head, buffer.Length, maxLength, out length, out source, out destination);
        }
        else if (v1 == Match.Full)
        {
            status = ReadV1(head, maxLength, out length, out source, out destination);
        }
        else
        {
            return v2 == Match.None && v1 == Match.None ? ProxyHeaderStatus.NotProxyHeader : ProxyHeaderStatus.Incomplete;
        }

        if (status == ProxyHeaderStatus.Complete)
        {
            buffer = buffer.Slice(length);
        }
        else
        {
            source = null;
            destination = null;
        }

        return status;
    }

    /// <summary>
    /// True when the buffered bytes (at least <see cref="MinDetectLength"/>) begin like a PROXY header: a prefix of the
    /// v2 signature or of <c>"PROXY "</c>, or one of them whole. No honest first frame of ActorAuth's dialects begins so
    /// (each such header is a framing error there), so a listener can say why it refuses one.
    /// </summary>
    public static bool IsHeaderStart(in ReadOnlySequence<byte> buffer)
    {
        if (buffer.Length < MinDetectLength)
        {
            return false;
        }

        Span<byte> head = stackalloc byte[V2Signature.Length];
        head = head[..(int)Math.Min(buffer.Length, head.Length)];
        buffer.Slice(0, head.Length).CopyTo(head);
        return Compare(head, V2Signature) != Match.None || Compare(head, V1Prefix) != Match.None;
    }

    /// <summary>
    /// Writes a v2 header: PROXY with TCP over IPv4 or IPv6 (both endpoints of one family), or LOCAL when
    /// <paramref name="source"/> is null. What HAProxy's <c>send-proxy-v2</c> sends, for clients and tests that stand in for a proxy.
    /// </summary>
    /// <exception cref="ArgumentException">Only one endpoint is given, or they are of different families.</exception>
    public static void WriteV2(IBufferWriter<byte> writer, IPEndPoint? source, IPEndPoint? destination)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if ((source is null) != (destination is null) || (source is not null && source.AddressFamily != destination!.AddressFamily))
        {
            throw new ArgumentException("A PROXY header needs both endpoints, of one address family, or neither (LOCAL).");
        }

        int block = source is null ? 0 : source.AddressFamily == AddressFamily.InterNetwork ? Ipv4Block : Ipv6Block;
        Span<byte> span = writer.GetSpan(V2FixedLength + block);
        V2Signature.CopyTo(span);
        span[12] = source is null ? (byte)0x20 : (byte)0x21;
        span[13] = source is null ? (byte)0x00 : block == Ipv4Block ? (byte)0x11 : (byte)0x21;
        BinaryPrimitives.WriteUInt16BigEndian(span[14..], (ushort)block);
        if (source is not null)
        {
            int size = (block - 4) / 2;
            Span<byte> addresses = span[V2FixedLength..];
            source.Address.TryWriteBytes(addresses, out _);
            destination!.Address.TryWriteBytes(addresses[size..], out _);
            BinaryPrimitives.WriteUInt16BigEndian(addresses[(2 * size)..], (ushort)source.Port);
            BinaryPrimitives.WriteUInt16BigEndian(addresses[(2 * size + 2)..], (ushort)destination.Port);
        }

        writer.Advance(V2FixedLength + block);
    }

    private static ProxyHeaderStatus ReadV2(ReadOnlySpan<byte> head, long buffered, int maxLength, out int length, out IPEndPoint? source, out IPEndPoint? destination)
    {
        length = 0;
        source = null;
        destination = null;
        if (head.Length < V2FixedLength)
        {
            return ProxyHeaderStatus.Incomplete;
        }

        int version = head[12] >> 4, command = head[12] & 0xF, family = head[13] >> 4, protocol = head[13] & 0xF;
        if (version != 2)
        {
            return ProxyHeaderStatus.UnsupportedVersion;
        }

        if (command > 1)
        {
            return ProxyHeaderStatus.UnsupportedCommand;
        }

        if (family > 3 || protocol > 2)
        {
            return ProxyHeaderStatus.Malformed;
        }

        int block = BinaryPrimitives.ReadUInt16BigEndian(head[14..]);
        length = V2FixedLength + block;
        if (length > maxLength)
        {
            return ProxyHeaderStatus.TooLarge;
        }

        if (buffered < length)
        {
            return ProxyHeaderStatus.Incomplete;
        }

        // LOCAL: the proxy speaks for itself (a health check); its block, whatever the family, is skipped. Only TCP over
        // IP names a client; UNSPEC, UNIX and DGRAM fall back to the connection's own endpoints, as the spec allows.
        const int Local = 0, Stream = 1, Inet = 1, Inet6 = 2;
        if (command == Local || protocol != Stream || family is not (Inet or Inet6))
        {
            return ProxyHeaderStatus.Complete;
        }

        int size = family == Inet ? 4 : 16;
        if (block < 2 * size + 4)
        {
            return ProxyHeaderStatus.Malformed;
        }

        // head holds the first 107 bytes and the header is whole, so an IPv6 block (to byte 52) is in it.
        ReadOnlySpan<byte> addresses = head[V2FixedLength..];
        source = new IPEndPoint(new IPAddress(addresses[..size]), BinaryPrimitives.ReadUInt16BigEndian(addresses[(2 * size)..]));
        destination = new IPEndPoint(new IPAddress(addresses[size..(2 * size)]), BinaryPrimitives.ReadUInt16BigEndian(addresses[(2 * size + 2)..]));
        return ProxyHeaderStatus.Complete;
    }

    private static ProxyHeaderStatus ReadV1(ReadOnlySpan<byte> head, int maxLength, out int length, out IPEndPoint? source, out IPEndPoint? destination)
    {
        source = null;
        destination = null;
        int limit = Math.Min(V1MaxLength, maxLength);
        int end = head[..Math.Min(head.Length, limit)].IndexOf("\r\n"u8);
        length = end + 2;
        if (end < 0)
        {
            return head.Length < limit ? ProxyHeaderStatus.Incomplete
                : limit < V1MaxLength ? ProxyHeaderStatus.TooLarge
                : ProxyHeaderStatus.Malformed;
        }

        Span<char> line = stackalloc char[end - V1Prefix.Length];
        for (int i = 0; i < line.Length; i++)
        {
            byte b = head[V1Prefix.Length + i];
            if (b is < 0x20 or > 0x7E)
            {
                // A lone CR or LF, a NUL, anything not printable US-ASCII.
                return ProxyHeaderStatus.Malformed;
            }

            line[i] = (char)b;
        }

        // UNKNOWN: the proxy cannot tell; whatever follows before the CRLF is ignored.
        if (line.StartsWith("UNKNOWN", StringComparison.Ordinal) && (line.Length == 7 || line[7] == ' '))
        {
            return ProxyHeaderStatus.Complete;
        }

        Span<Range> fields = stackalloc Range[6];
        if (line.Split(fields, ' ') != 5)
        {
            return ProxyHeaderStatus.Malformed;
        }

        ReadOnlySpan<char> protocol = line[fields[0]];
        bool v4 = protocol.SequenceEqual("TCP4");
        if ((!v4 && !protocol.SequenceEqual("TCP6"))
            || !TryParseAddress(line[fields[1]], v4, out IPAddress? sourceAddress)
            || !TryParseAddress(line[fields[2]], v4, out IPAddress? destinationAddress)
            || !TryParsePort(line[fields[3]], out int sourcePort)
            || !TryParsePort(line[fields[4]], out int destinationPort))
        {
            return ProxyHeaderStatus.Malformed;
        }

        source = new IPEndPoint(sourceAddress, sourcePort);
        destination = new IPEndPoint(destinationAddress, destinationPort);
        return ProxyHeaderStatus.Complete;
    }

    /// <summary>IPv4 strictly as the spec has it (four decimal numbers 0..255, no leading zeros: no octal); IPv6 as .NET reads it, no scope.</summary>
    private static bool TryParseAddress(ReadOnlySpan<char> text, bool v4, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (!v4)
        {
            return text.Contains(':') && !text.Contains('%') && IPAddress.TryParse(text, out address) && address.AddressFamily == AddressFamily.InterNetworkV6;
        }

        Span<Range> parts = stackalloc Range[5];
        Span<byte> bytes = stackalloc byte[4];
        if (text.Split(parts, '.') != 4)
        {
            return false;
        }

        for (int i = 0; i < 4; i++)
        {
            if (!TryParseDecimal(text[parts[i]], 3, out int value) || value > 255)
            {
                return false;
            }

            bytes[i] = (byte)value;
        }

        address = new IPAddress(bytes);
        return true;
    }

    private static bool TryParsePort(ReadOnlySpan<char> text, out int port) => TryParseDecimal(text, 5, out port) && port <= 65535;

    /// <summary>1..<paramref name="maxDigits"/> ASCII digits, no leading zero but "0" itself.</summary>
    private static bool TryParseDecimal(ReadOnlySpan<char> text, int maxDigits, out int value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > maxDigits || (text[0] == '0' && text.Length > 1))
        {
            return false;
        }

        foreach (char c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            value = value * 10 + (c - '0');
        }

        return true;
    }

    private static Match Compare(ReadOnlySpan<byte> head, ReadOnlySpan<byte> signature) =>
        head.Length >= signature.Length
            ? head.StartsWith(signature) ? Match.Full : Match.None
            : signature.StartsWith(head) ? Match.Partial : Match.None;
}
