using System.Buffers;
using System.Net.Security;
using ActorAuth.Protocol;
using ActorAuth.Security;
using Xunit;

namespace ActorAuth.Integration.Tests;

/// <summary>
/// A client that authenticates for real but then hands the test its protected frames as bytes, so the test
/// can capture, alter, replay and reorder them on the wire.
/// </summary>
public sealed class ManualClient : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly RawClient _raw;
    private readonly ClientSecurityContext _context;

    private ManualClient(RawClient raw, ClientSecurityContext context)
    {
        _raw = raw;
        _context = context;
    }

    /// <summary>The raw connection.</summary>
    public RawClient Raw => _raw;

    /// <summary>Authenticates <paramref name="user"/> and reads the greeting.</summary>
    public static async Task<(ManualClient Client, Greeting Greeting)> ConnectAsync(TestServer server, string user = "alice", ProtectionLevel protection = ProtectionLevel.EncryptAndSign)
    {
        RawClient raw = await RawClient.ConnectAsync(server.Port);
        var context = new ClientSecurityContext(new ClientContextOptions
        {
            TargetName = RealmFixture.ServicePrincipal,
            Credential = server.CredentialOf(user),
            RequiredProtectionLevel = protection,
        });
        var client = new ManualClient(raw, context);
        SecurityStatus status = context.Initialize([], out byte[]? token);
        while (true)
        {
            Assert.False(status.IsError, status.ToString());
            if (token is { Length: > 0 })
            {
                await raw.SendFrameAsync(token);
            }

            if (status.Code == SecurityStatusCode.Completed)
            {
                break;
            }

            byte[] reply = await raw.ReceiveFrameAsync(Timeout) ?? throw new InvalidOperationException("server closed during the handshake\n" + server.Log);
            status = context.Initialize(reply, out token);
        }

        byte[] greetingToken = await raw.ReceiveFrameAsync(Timeout) ?? throw new InvalidOperationException("no greeting\n" + server.Log);
        Assert.True(Greeting.TryParse(client.Unprotect(greetingToken), out Greeting? greeting), "greeting is not JSON");
        return (client, greeting!);
    }

    /// <summary>A protected request frame's payload (a wrap token), as the real client would send it.</summary>
    public byte[] Protect(string operation, byte[] body, bool encrypt = true)
    {
        var plaintext = new ArrayBufferWriter<byte>();
        SessionMessages.WriteRequest(plaintext, operation, body);
        var token = new ArrayBufferWriter<byte>();
        Assert.False(_context.Wrap(plaintext.WrittenSpan, encrypt, token).IsError);
        return token.WrittenSpan.ToArray();
    }

    /// <summary>Unprotects a frame from the server (failing the test if it does not verify).</summary>
    public byte[] Unprotect(byte[] token)
    {
        var plaintext = new ArrayBufferWriter<byte>();
        SecurityStatus status = _context.Unwrap(token, plaintext, out _);
        Assert.False(status.IsError, status.ToString());
        return plaintext.WrittenSpan.ToArray();
    }

    /// <summary>Sends a request frame and returns the unprotected reply, or null if the server closed instead.</summary>
    public async Task<(ReplyStatus Status, byte[] Body)?> ExchangeAsync(byte[] requestToken)
    {
        await _raw.SendFrameAsync(requestToken);
        byte[]? reply = await _raw.ReceiveFrameAsync(Timeout);
        if (reply is null)
        {
            return null;
        }

        Assert.True(SessionMessages.TryReadReply(Unprotect(reply), out ReplyStatus status, out ReadOnlyMemory<byte> body));
        return (status, body.ToArray());
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _context.Dispose();
        _raw.Dispose();
    }
}
