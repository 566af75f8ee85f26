using System.Buffers;
using System.Security.Cryptography;
using ActorAuth.Security;
using BenchmarkDotNet.Attributes;

namespace ActorAuth.Benchmarks;

/// <summary>
/// Wrap and unwrap (sealed) on real security contexts from a handshake with the dev realm, protected by the managed
/// RFC 4121 engine (<see cref="MessageProtection.Managed"/>) or by MIT's gss_wrap/gss_unwrap
/// (<see cref="MessageProtection.GssApi"/>): the two engines on the same keys and tokens, through the same
/// <see cref="SecurityContext"/> calls a session makes. One writer is reused, so the allocations shown are the
/// engines' own. Unwrap verifies the same token every iteration: after the first the sequence check answers
/// OutOfSequence, but both engines decrypt and verify in full before that check (MIT's replay check follows its
/// checksum too), so the time is the same work. Needs the realm's KRB5_* variables and alice's TGT.
/// </summary>
[MemoryDiagnoser]
public class MessageProtectionBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(128 * 1024);
    private ServerCredential? _credential;
    private ClientSecurityContext? _client;
    private ServerSecurityContext? _server;
    private byte[] _message = [];
    private byte[] _token = [];

    /// <summary>Who protects the messages, on both sides.</summary>
    [Params(MessageProtection.Managed, MessageProtection.GssApi)]
    public MessageProtection Protection { get; set; }

    /// <summary>Message length in bytes.</summary>
    [Params(64, 1024, 64 * 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        if (Environment.GetEnvironmentVariable("KRB5_CONFIG") is null)
        {
            throw new InvalidOperationException("Export the dev realm first: eval \"$(actorauth realm up)\" and kinit alice (scripts/bench.sh does both).");
        }

        _credential = ServerCredential.Acquire(new ServerCredentialOptions { Package = SecurityPackages.Kerberos, MessageProtection = Protection }, SecurityProvider.GssApi);
        _client = new ClientSecurityContext(
            new ClientContextOptions { Package = SecurityPackages.Kerberos, TargetName = "actorauth/localhost", MessageProtection = Protection }, SecurityProvider.GssApi);
        _server = _credential.CreateContext();
        SecurityStatus status = _client.Initialize([], out byte[]? toServer);
        while (!status.IsError && toServer is not null && !_server.IsCompleted)
        {
            _server.Accept(toServer, out byte[]? toClient);
            status = toClient is null ? status : _client.Initialize(toClient, out toServer);
        }

        if (!_client.IsCompleted || !_server.IsCompleted || _client.IsProtectionManaged != (Protection == MessageProtection.Managed))
        {
            throw new InvalidOperationException($"The handshake did not give {Protection} protection ({status}).");
        }

        _message = RandomNumberGenerator.GetBytes(Size);
        _client.Wrap(_message, true, _output);
        _token = _output.WrittenSpan.ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client?.Dispose();
        _server?.Dispose();
        _credential?.Dispose();
    }

    /// <summary>Encrypts one message into a wrap token (the client's key usage).</summary>
    [Benchmark]
    public int Wrap()
    {
        _output.ResetWrittenCount();
        _client!.Wrap(_message, true, _output);
        return _output.WrittenCount;
    }

    /// <summary>Verifies and decrypts one wrap token (the server's side).</summary>
    [Benchmark]
    public int Unwrap()
    {
        _output.ResetWrittenCount();
        _server!.Unwrap(_token, _output, out _);
        return _output.WrittenCount;
    }
}
