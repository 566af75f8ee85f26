using System.Buffers;
using System.Security.Cryptography;
using ActorAuth.Security.Kerberos;
using BenchmarkDotNet.Attributes;

namespace ActorAuth.Benchmarks;

/// <summary>
/// Sealed wrap and unwrap by the managed RFC 4121 engine (<see cref="Rfc4121MessageProtection"/>), an
/// initiator wrapping and an acceptor unwrapping, for an RFC 3962 and an RFC 8009 enctype. One writer is reused
/// across iterations, so the allocations shown are the engine's own (goal: none). No KDC: the keys are random.
/// </summary>
[MemoryDiagnoser]
public class ManagedWrapBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(128 * 1024);
    private IMessageProtection? _initiator;
    private IMessageProtection? _acceptor;
    private byte[] _message = [];
    private byte[] _token = [];

    /// <summary>aes256-cts-hmac-sha1-96 (18) or aes256-cts-hmac-sha384-192 (20).</summary>
    [Params(18, 20)]
    public int Enctype { get; set; }

    /// <summary>Message length in bytes.</summary>
    [Params(64, 1024, 64 * 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        byte[] key = RandomNumberGenerator.GetBytes(32);
        _initiator = Rfc4121MessageProtection.Create(new LucidContext(true, 0, 0, 1, false, Enctype, key.ToArray(), 0, []));
        _acceptor = Rfc4121MessageProtection.Create(new LucidContext(false, 0, 0, 1, false, Enctype, key.ToArray(), 0, []));
        _message = RandomNumberGenerator.GetBytes(Size);
        _initiator!.Wrap(_message, true, _output);
        _token = _output.WrittenSpan.ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _initiator?.Dispose();
        _acceptor?.Dispose();
    }

    /// <summary>Encrypts one message into a wrap token.</summary>
    [Benchmark]
    public int Wrap()
    {
        _output.ResetWrittenCount();
        _initiator!.Wrap(_message, true, _output);
        return _output.WrittenCount;
    }

    /// <summary>Verifies and decrypts one wrap token.</summary>
    [Benchmark]
    public int Unwrap()
    {
        _output.ResetWrittenCount();
        _acceptor!.Unwrap(_token, _output, out _);
        return _output.WrittenCount;
    }
}
