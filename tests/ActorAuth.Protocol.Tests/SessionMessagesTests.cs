using System.Buffers;
using System.Text;
using Xunit;

namespace ActorAuth.Protocol.Tests;

public sealed class SessionMessagesTests
{
    [Fact]
    public void A_request_is_the_operation_length_the_operation_and_the_body()
    {
        var writer = new ArrayBufferWriter<byte>();

        SessionMessages.WriteRequest(writer, "echo", "hi"u8);

        Assert.Equal([4, (byte)'e', (byte)'c', (byte)'h', (byte)'o', (byte)'h', (byte)'i'], writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void A_request_round_trips_with_an_empty_operation_and_body()
    {
        var writer = new ArrayBufferWriter<byte>();
        SessionMessages.WriteRequest(writer, "", []);

        Assert.True(SessionMessages.TryReadRequest(writer.WrittenMemory, out string operation, out ReadOnlyMemory<byte> body, out _));
        Assert.Equal("", operation);
        Assert.True(body.IsEmpty);
    }

    [Theory]
    [InlineData(new byte[0], "empty")]
    [InlineData(new byte[] { 5, (byte)'e', (byte)'c' }, "declares")]
    [InlineData(new byte[] { 2, (byte)'a', 0x01 }, "printable")]
    [InlineData(new byte[] { 1, (byte)' ' }, "printable")]
    public void A_malformed_request_is_refused_with_a_reason(byte[] plaintext, string reason)
    {
        Assert.False(SessionMessages.TryReadRequest(plaintext, out _, out _, out string error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_operation_name_over_255_characters_cannot_be_written()
    {
        Assert.Throws<ArgumentException>(() => SessionMessages.WriteRequest(new ArrayBufferWriter<byte>(), new string('a', 256), []));
    }

    [Fact]
    public void A_reply_is_a_status_byte_then_the_body()
    {
        var writer = new ArrayBufferWriter<byte>();
        SessionMessages.WriteReply(writer, ReplyStatus.Denied, "no"u8);

        Assert.Equal([1, (byte)'n', (byte)'o'], writer.WrittenSpan.ToArray());
        Assert.True(SessionMessages.TryReadReply(writer.WrittenMemory, out ReplyStatus status, out ReadOnlyMemory<byte> body));
        Assert.Equal(ReplyStatus.Denied, status);
        Assert.Equal("no", Encoding.UTF8.GetString(body.Span));
    }

    [Fact]
    public void A_reply_with_an_unknown_status_is_refused()
    {
        Assert.False(SessionMessages.TryReadReply(new byte[] { 9, 1 }, out _, out _));
        Assert.False(SessionMessages.TryReadReply(Array.Empty<byte>(), out _, out _));
    }

    [Fact]
    public void The_greeting_is_json_with_the_documented_names()
    {
        var greeting = new Greeting { Client = "alice@R", Service = "svc/h", Package = "Kerberos", Protection = "encrypt", Impersonation = "Identification", Operations = ["echo"] };

        string json = Encoding.UTF8.GetString(greeting.ToUtf8());

        Assert.Equal("""{"status":"ok","client":"alice@R","service":"svc/h","package":"Kerberos","protection":"encrypt","impersonation":"Identification","operations":["echo"]}""", json);
        Assert.True(Greeting.TryParse(greeting.ToUtf8(), out Greeting? parsed));
        Assert.True(parsed!.IsAccepted);
    }

    [Fact]
    public void A_refusal_greeting_is_not_accepted()
    {
        Assert.True(Greeting.TryParse("""{"status":"refused","reason":"protection-requirements-not-met","message":"m"}"""u8, out Greeting? refusal));
        Assert.False(refusal!.IsAccepted);
        Assert.False(Greeting.TryParse("not json"u8, out _));
    }
}
