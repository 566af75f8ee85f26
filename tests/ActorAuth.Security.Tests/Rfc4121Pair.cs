using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using ActorAuth.Security.Kerberos;

namespace ActorAuth.Security.Tests;

/// <summary>
/// Both ends of one RFC 4121 context, each a managed engine built from the lucid context its side would
/// export: the same keys, mirrored roles and sequence numbers.
/// </summary>
internal sealed class Rfc4121Pair : IDisposable
{
    public Rfc4121Pair(int enctype, bool acceptorSubkey, ulong initiatorSequence = 0, ulong acceptorSequence = 0)
    {
        int keyLength = KerberosEnctype.Find(enctype)!.KeyLength;
        ContextKey = RandomNumberGenerator.GetBytes(keyLength);
        Subkey = acceptorSubkey ? RandomNumberGenerator.GetBytes(keyLength) : [];
        int subkeyType = acceptorSubkey ? enctype : 0;
        Initiator = Create(Context(isInitiator: true, initiatorSequence, acceptorSequence, acceptorSubkey, enctype, ContextKey, subkeyType, Subkey));
        Acceptor = Create(Context(isInitiator: false, acceptorSequence, initiatorSequence, acceptorSubkey, enctype, ContextKey, subkeyType, Subkey));
    }

    public byte[] ContextKey { get; }

    public byte[] Subkey { get; }

    public IMessageProtection Initiator { get; }

    public IMessageProtection Acceptor { get; }

    public static LucidContext Context(bool isInitiator, ulong send, ulong receive, bool acceptorSubkey, int contextKeyType, byte[] contextKey, int subkeyType, byte[] subkey) =>
        new(isInitiator, send, receive, 1, acceptorSubkey, contextKeyType, contextKey.ToArray(), subkeyType, subkey.ToArray());

    public static IMessageProtection Create(LucidContext context) =>
        Rfc4121MessageProtection.Create(context) ?? throw new InvalidOperationException("the context is not supported");

    public static byte[] Wrap(IMessageProtection sender, ReadOnlySpan<byte> message, bool encrypt)
    {
        var output = new ArrayBufferWriter<byte>();
        SecurityStatus status = sender.Wrap(message, encrypt, output);
        Assert.True(status.Code == SecurityStatusCode.Completed, status.ToString());
        return output.WrittenSpan.ToArray();
    }

    public static byte[] GetMic(IMessageProtection sender, ReadOnlySpan<byte> message)
    {
        var output = new ArrayBufferWriter<byte>();
        SecurityStatus status = sender.GetMic(message, output);
        Assert.True(status.Code == SecurityStatusCode.Completed, status.ToString());
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Unwraps and checks that a refusal wrote nothing.</summary>
    public static (SecurityStatus Status, byte[] Message, bool WasEncrypted) Unwrap(IMessageProtection receiver, ReadOnlySpan<byte> token)
    {
        var output = new ArrayBufferWriter<byte>();
        SecurityStatus status = receiver.Unwrap(token, output, out bool wasEncrypted);
        if (status.Code != SecurityStatusCode.Completed)
        {
            Assert.Equal(0, output.WrittenCount);
            Assert.False(wasEncrypted);
        }

        return (status, output.WrittenSpan.ToArray(), wasEncrypted);
    }

    /// <summary>The token with its body rotated right by <paramref name="rightRotationCount"/> and RRC set to it, as Windows sends.</summary>
    public static byte[] Rotate(byte[] token, int rightRotationCount)
    {
        byte[] rotated = token.ToArray();
        int length = token.Length - 16;
        int shift = rightRotationCount % length;
        token.AsSpan(16 + length - shift, shift).CopyTo(rotated.AsSpan(16));
        token.AsSpan(16, length - shift).CopyTo(rotated.AsSpan(16 + shift));
        BinaryPrimitives.WriteUInt16BigEndian(rotated.AsSpan(6), (ushort)rightRotationCount);
        return rotated;
    }

    public void Dispose()
    {
        Initiator.Dispose();
        Acceptor.Dispose();
    }
}
