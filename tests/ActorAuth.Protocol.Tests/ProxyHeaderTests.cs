using System.Buffers;
using System.Net;
using System.Text;
using Xunit;

namespace ActorAuth.Protocol.Tests;

public sealed class ProxyHeaderTests
{
    private const int Max = ProxyHeader.DefaultMaxLength;
    private static readonly IPEndPoint Client = new(IPAddress.Parse("192.0.2.7"), 56324);
    private static readonly IPEndPoint Frontend = new(IPAddress.Parse("198.51.100.1"), 443);

    private static byte[] V2(IPEndPoint? source, IPEndPoint? destination, params byte[] after)
    {
        var writer = new ArrayBufferWriter<byte>();
        ProxyHeader.WriteV2(writer, source, destination);
        return [.. writer.WrittenSpan, .. after];
    }

    /// <summary>A v2 header with the fixed part as given and <paramref name="block"/> after it (its length in the header).</summary>
    private static byte[] V2Raw(byte versionCommand, byte familyProtocol, byte[] block) =>
        [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, versionCommand, familyProtocol,
            (byte)(block.Length >> 8), (byte)block.Length, .. block];

    private static ProxyHeaderStatus Read(byte[] bytes, out IPEndPoint? source, out long left, int max = Max)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        ProxyHeaderStatus status = ProxyHeader.TryRead(ref buffer, max, out source, out _);
        left = buffer.Length;
        return status;
    }

    [Fact]
    public void A_v2_header_for_tcp_over_ipv4_yields_both_endpoints_and_leaves_the_clients_bytes()
    {
        var buffer = new ReadOnlySequence<byte>(V2(Client, Frontend, 1, 2, 3));

        ProxyHeaderStatus status = ProxyHeader.TryRead(ref buffer, Max, out IPEndPoint? source, out IPEndPoint? destination);

        Assert.Equal(ProxyHeaderStatus.Complete, status);
        Assert.Equal(Client, source);
        Assert.Equal(Frontend, destination);
        Assert.Equal(new byte[] { 1, 2, 3 }, buffer.ToArray());
    }

    [Fact]
    public void A_v2_header_for_tcp_over_ipv6_yields_the_ipv6_client()
    {
        var client = new IPEndPoint(IPAddress.Parse("2001:db8::7"), 40000);
        var frontend = new IPEndPoint(IPAddress.Parse("2001:db8::1"), 2000);

        Assert.Equal(ProxyHeaderStatus.Complete, Read(V2(client, frontend), out IPEndPoint? source, out long left));
        Assert.Equal(client, source);
        Assert.Equal(0, left);
    }

    [Fact]
    public void A_v2_local_header_is_complete_with_no_client_so_the_proxys_own_address_stands()
    {
        Assert.Equal(ProxyHeaderStatus.Complete, Read(V2(null, null, 9), out IPEndPoint? source, out long left));
        Assert.Null(source);
        Assert.Equal(1, left);
    }

    [Fact]
    public void A_v2_local_header_with_an_address_block_skips_the_block()
    {
        byte[] header = V2Raw(0x20, 0x11, new byte[12]);

        Assert.Equal(ProxyHeaderStatus.Complete, Read([.. header, 7], out IPEndPoint? source, out long left));
        Assert.Null(source);
        Assert.Equal(1, left);
    }

    [Fact]
    public void Tlvs_after_the_addresses_are_skipped()
    {
        byte[] addresses = V2(Client, Frontend)[16..];
        byte[] tlvs = [0x05, 0x00, 0x03, 0xAA, 0xBB, 0xCC, 0x04, 0x00, 0x00];

        Assert.Equal(ProxyHeaderStatus.Complete, Read([.. V2Raw(0x21, 0x11, [.. addresses, .. tlvs]), 42], out IPEndPoint? source, out long left));
        Assert.Equal(Client, source);
        Assert.Equal(1, left);
    }

    [Theory]
    [InlineData((byte)0x00)] // UNSPEC
    [InlineData((byte)0x12)] // UDP over IPv4
    [InlineData((byte)0x31)] // UNIX stream
    public void A_v2_proxy_header_of_another_family_or_protocol_is_complete_with_no_client(byte familyProtocol)
    {
        Assert.Equal(ProxyHeaderStatus.Complete, Read(V2Raw(0x21, familyProtocol, new byte[familyProtocol == 0x31 ? 216 : 12]), out IPEndPoint? source, out _, max: 512));
        Assert.Null(source);
    }

    [Fact]
    public void Every_truncated_prefix_of_a_v2_header_is_incomplete_and_consumes_nothing()
    {
        byte[] header = V2(new IPEndPoint(IPAddress.Parse("2001:db8::7"), 1), new IPEndPoint(IPAddress.Parse("2001:db8::1"), 2));
        for (int length = 0; length < header.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(header, 0, length);

            ProxyHeaderStatus status = ProxyHeader.TryRead(ref buffer, Max, out IPEndPoint? source, out _);

            Assert.True(status == ProxyHeaderStatus.Incomplete, $"prefix of {length} bytes gave {status}");
            Assert.Equal(length, buffer.Length);
            Assert.Null(source);
        }
    }

    [Fact]
    public void Every_truncated_prefix_of_a_v1_line_is_incomplete_and_consumes_nothing()
    {
        byte[] line = Encoding.ASCII.GetBytes("PROXY TCP4 192.0.2.7 198.51.100.1 56324 443\r\n");
        for (int length = 0; length < line.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(line, 0, length);

            ProxyHeaderStatus status = ProxyHeader.TryRead(ref buffer, Max, out _, out _);

            Assert.True(status == ProxyHeaderStatus.Incomplete, $"prefix of {length} bytes gave {status}");
            Assert.Equal(length, buffer.Length);
        }
    }

    [Fact]
    public void A_header_split_across_segments_at_every_point_is_read_whole()
    {
        byte[] bytes = V2(Client, Frontend, 5);
        for (int cut = 1; cut < bytes.Length; cut++)
        {
            ReadOnlySequence<byte> buffer = Segments.Split(bytes, cut);

            ProxyHeaderStatus status = ProxyHeader.TryRead(ref buffer, Max, out IPEndPoint? source, out _);

            Assert.True(status == ProxyHeaderStatus.Complete, $"cut at {cut} gave {status}");
            Assert.Equal(Client, source);
            Assert.Equal(new byte[] { 5 }, buffer.ToArray());
        }
    }

    [Fact]
    public void A_v1_line_yields_the_client_and_leaves_what_follows()
    {
        byte[] bytes = Encoding.ASCII.GetBytes("PROXY TCP4 192.0.2.7 198.51.100.1 56324 443\r\nrest");

        var buffer = new ReadOnlySequence<byte>(bytes);
        Assert.Equal(ProxyHeaderStatus.Complete, ProxyHeader.TryRead(ref buffer, Max, out IPEndPoint? source, out IPEndPoint? destination));
        Assert.Equal(Client, source);
        Assert.Equal(Frontend, destination);
        Assert.Equal("rest", Encoding.ASCII.GetString(buffer.ToArray()));
    }

    [Fact]
    public void A_v1_tcp6_line_yields_the_ipv6_client()
    {
        byte[] bytes = Encoding.ASCII.GetBytes("PROXY TCP6 2001:db8::7 2001:db8::1 40000 2000\r\n");

        Assert.Equal(ProxyHeaderStatus.Complete, Read(bytes, out IPEndPoint? source, out _));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8::7"), 40000), source);
    }

    [Theory]
    [InlineData("PROXY UNKNOWN\r\n")]
    [InlineData("PROXY UNKNOWN ffff::1 ffff::2 65535 65535\r\n")]
    public void A_v1_unknown_line_is_complete_with_no_client(string line)
    {
        Assert.Equal(ProxyHeaderStatus.Complete, Read(Encoding.ASCII.GetBytes(line), out IPEndPoint? source, out long left));
        Assert.Null(source);
        Assert.Equal(0, left);
    }

    [Theory]
    [InlineData("PROXY TCP4 192.0.2.7 198.51.100.1 56324\r\n")] // a field missing
    [InlineData("PROXY TCP4 192.0.2.7  198.51.100.1 56324 443\r\n")] // two spaces
    [InlineData("PROXY TCP4 192.0.2.07 198.51.100.1 56324 443\r\n")] // leading zero (octal?)
    [InlineData("PROXY TCP4 192.0.2.256 198.51.100.1 56324 443\r\n")]
    [InlineData("PROXY TCP4 2001:db8::7 198.51.100.1 56324 443\r\n")] // family mismatch
    [InlineData("PROXY TCP6 192.0.2.7 198.51.100.1 56324 443\r\n")]
    [InlineData("PROXY TCP4 192.0.2.7 198.51.100.1 65536 443\r\n")]
    [InlineData("PROXY TCP4 192.0.2.7 198.51.100.1 056324 443\r\n")]
    [InlineData("PROXY UDP4 192.0.2.7 198.51.100.1 56324 443\r\n")]
    [InlineData("PROXY TCP4 192.0.2.7 198.51.100.1 56324 443\n\r\n")] // a lone LF
    [InlineData("PROXY TCP4 192.0.2.7 198.51.100.1 56324 443 extra\r\n")]
    public void A_v1_line_that_breaks_the_spec_is_malformed_and_consumes_nothing(string line)
    {
        Assert.Equal(ProxyHeaderStatus.Malformed, Read(Encoding.ASCII.GetBytes(line), out IPEndPoint? source, out long left));
        Assert.Null(source);
        Assert.Equal(line.Length, left);
    }

    [Fact]
    public void A_v1_line_with_no_crlf_within_107_bytes_is_malformed()
    {
        byte[] bytes = Encoding.ASCII.GetBytes("PROXY UNKNOWN " + new string('f', 200));

        Assert.Equal(ProxyHeaderStatus.Malformed, Read(bytes, out _, out long left));
        Assert.Equal(bytes.Length, left);
    }

    [Theory]
    [InlineData(new byte[] { 4, 0, 0, 0, 1, 2, 3, 4 })] // a sockauth frame
    [InlineData(new byte[] { 0x16, 1, 0, 0, 0 })] // a NegotiateStream handshake header
    [InlineData(new byte[] { 0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0B })] // one byte off the signature
    [InlineData(new byte[] { (byte)'P', (byte)'R', (byte)'O', (byte)'X', (byte)'Y', (byte)'\t' })]
    public void Bytes_that_are_not_a_header_say_so_at_the_first_byte_that_differs(byte[] bytes)
    {
        Assert.Equal(ProxyHeaderStatus.NotProxyHeader, Read(bytes, out _, out long left));
        Assert.Equal(bytes.Length, left);
    }

    [Theory]
    [InlineData((byte)0x11, ProxyHeaderStatus.UnsupportedVersion)]
    [InlineData((byte)0x31, ProxyHeaderStatus.UnsupportedVersion)]
    [InlineData((byte)0x22, ProxyHeaderStatus.UnsupportedCommand)]
    [InlineData((byte)0x2F, ProxyHeaderStatus.UnsupportedCommand)]
    public void A_v2_signature_with_a_bad_version_or_command_is_refused_and_consumes_nothing(byte versionCommand, ProxyHeaderStatus expected)
    {
        byte[] header = V2Raw(versionCommand, 0x11, new byte[12]);

        Assert.Equal(expected, Read(header, out _, out long left));
        Assert.Equal(header.Length, left);
    }

    [Theory]
    [InlineData((byte)0x41)] // family 4
    [InlineData((byte)0x13)] // protocol 3
    public void A_v2_header_of_an_undefined_family_or_protocol_is_malformed(byte familyProtocol)
    {
        Assert.Equal(ProxyHeaderStatus.Malformed, Read(V2Raw(0x21, familyProtocol, new byte[12]), out _, out _));
    }

    [Theory]
    [InlineData((byte)0x11, 11)]
    [InlineData((byte)0x21, 35)]
    public void A_v2_address_block_too_short_for_its_family_is_malformed(byte familyProtocol, int blockLength)
    {
        Assert.Equal(ProxyHeaderStatus.Malformed, Read(V2Raw(0x21, familyProtocol, new byte[blockLength]), out IPEndPoint? source, out _));
        Assert.Null(source);
    }

    [Fact]
    public void A_v2_length_over_the_maximum_is_refused_from_the_fixed_part_alone()
    {
        // Only the 16 fixed bytes of a header declaring 65535: refused without waiting for the rest.
        byte[] fixedPart = V2Raw(0x21, 0x11, new byte[ushort.MaxValue])[..16];

        Assert.Equal(ProxyHeaderStatus.TooLarge, Read(fixedPart, out _, out long left, max: 512));
        Assert.Equal(16, left);
    }

    [Fact]
    public void A_v2_header_exactly_at_the_maximum_is_read()
    {
        byte[] header = V2Raw(0x21, 0x11, [.. V2(Client, Frontend)[16..], .. new byte[512 - 28]]);

        Assert.Equal(512, header.Length);
        Assert.Equal(ProxyHeaderStatus.Complete, Read(header, out IPEndPoint? source, out _, max: 512));
        Assert.Equal(Client, source);
    }

    [Fact]
    public void A_v1_line_longer_than_a_maximum_below_107_is_too_large()
    {
        byte[] line = Encoding.ASCII.GetBytes("PROXY TCP6 2001:db8:0:0:0:0:0:7 2001:db8:0:0:0:0:0:1 40000 2000\r\n");

        Assert.Equal(ProxyHeaderStatus.TooLarge, Read(line, out _, out _, max: ProxyHeader.MinMaxLength));
    }

    [Theory]
    [InlineData(new byte[] { 0x0D, 0x0A, 0x0D, 0x0A }, true)]
    [InlineData(new byte[] { (byte)'P', (byte)'R', (byte)'O', (byte)'X', (byte)'Y', (byte)' ', (byte)'T' }, true)]
    [InlineData(new byte[] { 0x0D, 0x0A, 0x0D }, false)] // too few to tell
    [InlineData(new byte[] { 0, 6, 0, 0, 0x60 }, false)]
    public void A_buffer_that_begins_like_a_header_is_recognised(byte[] bytes, bool expected)
    {
        Assert.Equal(expected, ProxyHeader.IsHeaderStart(new ReadOnlySequence<byte>(bytes)));
    }

    [Fact]
    public void Writing_one_endpoint_without_the_other_is_refused()
    {
        Assert.Throws<ArgumentException>(() => ProxyHeader.WriteV2(new ArrayBufferWriter<byte>(), Client, null));
    }
}
