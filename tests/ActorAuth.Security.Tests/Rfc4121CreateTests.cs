using System.Buffers;
using System.Security.Cryptography;
using ActorAuth.Security.Kerberos;

namespace ActorAuth.Security.Tests;

/// <summary>Which exported contexts the managed engine takes, and what it keeps of them.</summary>
public sealed class Rfc4121CreateTests
{
    [Theory]
    [InlineData(17, true)]
    [InlineData(18, true)]
    [InlineData(19, true)]
    [InlineData(20, true)]
    [InlineData(1, false)]
    [InlineData(3, false)]
    [InlineData(16, false)]
    [InlineData(23, false)]
    [InlineData(25, false)]
    [InlineData(26, false)]
    public void Supports_exactly_the_four_AES_enctypes(int enctype, bool supported)
    {
        Assert.Equal(supported, Rfc4121MessageProtection.Supports(enctype));
    }

    [Fact]
    public void RFC_1964_context_gets_no_engine()
    {
        var context = new LucidContext(true, 0, 0, 0, false, 18, new byte[32], 0, []);

        Assert.Null(Rfc4121MessageProtection.Create(context));
    }

    [Fact]
    public void Unsupported_protection_key_enctype_gets_no_engine()
    {
        var context = new LucidContext(true, 0, 0, 1, true, 18, new byte[32], 23, new byte[16]);

        Assert.Null(Rfc4121MessageProtection.Create(context));
    }

    [Fact]
    public void Protection_key_of_the_wrong_length_gets_no_engine()
    {
        var context = new LucidContext(true, 0, 0, 1, false, 18, new byte[16], 0, []);

        Assert.Null(Rfc4121MessageProtection.Create(context));
    }

    [Fact]
    public void Acceptor_subkey_is_the_protection_key_when_asserted()
    {
        // A context key of an unsupported enctype does not matter when the acceptor subkey protects the tokens.
        var context = new LucidContext(true, 0, 0, 1, true, 23, new byte[16], 20, new byte[32]);

        using IMessageProtection? engine = Rfc4121MessageProtection.Create(context);

        Assert.NotNull(engine);
    }

    [Fact]
    public void Engines_keep_working_after_the_context_keys_are_cleared()
    {
        byte[] key = RandomNumberGenerator.GetBytes(32);
        LucidContext initiatorContext = Rfc4121Pair.Context(true, 0, 0, false, 20, key, 0, []);
        LucidContext acceptorContext = Rfc4121Pair.Context(false, 0, 0, false, 20, key, 0, []);
        using IMessageProtection initiator = Rfc4121Pair.Create(initiatorContext);
        using IMessageProtection acceptor = Rfc4121Pair.Create(acceptorContext);

        initiatorContext.ClearKeys();
        acceptorContext.ClearKeys();

        Assert.Equal(SecurityStatus.Completed, Rfc4121Pair.Unwrap(acceptor, Rfc4121Pair.Wrap(initiator, [1, 2, 3], encrypt: true)).Status);
    }

    [Fact]
    public void Disposed_engine_throws_ObjectDisposedException()
    {
        IMessageProtection engine = Rfc4121Pair.Create(Rfc4121Pair.Context(true, 0, 0, false, 17, new byte[16], 0, []));

        engine.Dispose();

        Assert.Throws<ObjectDisposedException>(() => engine.Wrap([1], true, new ArrayBufferWriter<byte>()));
    }
}
