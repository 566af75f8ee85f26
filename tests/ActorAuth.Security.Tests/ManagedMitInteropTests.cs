using System.Buffers;
using ActorAuth.Security.Kerberos;
using Xunit;

namespace ActorAuth.Security.Tests;

/// <summary>
/// The managed RFC 4121 engine against MIT's own gss_wrap/gss_unwrap/gss_get_mic/gss_verify_mic, byte for byte: after
/// a real handshake one side's context is exported to the engine and the other stays MIT's, so every token one
/// makes the other must verify — both directions (the initiator's and the acceptor's key usages and sender flag),
/// sealed and signed, wrap and MIC, for each enctype the realm can issue (the client limited to it, so the
/// acceptor subkey is of that enctype too).
/// </summary>
[Collection(RealmCollection.Name)]
public sealed unsafe class ManagedMitInteropTests
{
    public static TheoryData<string, bool, bool> Cases()
    {
        var cases = new TheoryData<string, bool, bool>();
        foreach (string enctype in RealmFixture.Enctypes)
        {
            foreach (bool managedInitiator in new[] { true, false })
            {
                foreach (bool seal in new[] { true, false })
                {
                    cases.Add(enctype, managedInitiator, seal);
                }
            }
        }

        return cases;
    }

    /// <summary>An established pair, one side exported to the engine: (engine, MIT's handle of the other side, the pair).</summary>
    private static (IMessageProtection Managed, GssContextHandle Mit, GssContextPair Pair) Split(string enctype, bool managedInitiator)
    {
        GssContextPair pair = GssContextPair.Established(SecurityPackages.Kerberos, RealmFixture.EnctypePrincipal(enctype), LucidContextTests.NumberOf(enctype));
        LucidContext lucid = GssApiLucidContext.Export(managedInitiator ? pair.Initiator : pair.Acceptor, out SecurityStatus status)
            ?? throw new Xunit.Sdk.XunitException($"export failed: {status}");
        Assert.Equal(LucidContextTests.NumberOf(enctype), lucid.ProtectionKey.Enctype);
        IMessageProtection managed = Rfc4121MessageProtection.Create(lucid) ?? throw new Xunit.Sdk.XunitException($"no engine for {enctype}");
        lucid.ClearKeys();
        return (managed, managedInitiator ? pair.Acceptor : pair.Initiator, pair);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MIT_unwraps_what_the_engine_wraps(string enctype, bool managedInitiator, bool seal)
    {
        (IMessageProtection managed, GssContextHandle mit, GssContextPair pair) = Split(enctype, managedInitiator);
        using (pair)
        using (managed)
        {
            foreach (int size in new[] { 0, 1, 17, 1024, 64 * 1024 })
            {
                byte[] message = Message(size);
                var token = new ArrayBufferWriter<byte>();
                Assert.Equal(SecurityStatusCode.Completed, managed.Wrap(message, seal, token).Code);

                (uint major, byte[] plaintext, bool encrypted) = MitUnwrap(mit, token.WrittenSpan);

                Assert.True(major == 0, $"{enctype} size {size}: MIT's gss_unwrap said {GssApiStatus.Describe(major, 0)}");
                Assert.Equal(seal, encrypted);
                Assert.True(plaintext.AsSpan().SequenceEqual(message), $"{enctype} size {size}: MIT unwrapped other bytes");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_engine_unwraps_what_MIT_wraps(string enctype, bool managedInitiator, bool seal)
    {
        (IMessageProtection managed, GssContextHandle mit, GssContextPair pair) = Split(enctype, managedInitiator);
        using (pair)
        using (managed)
        {
            foreach (int size in new[] { 0, 1, 17, 1024, 64 * 1024 })
            {
                byte[] message = Message(size);
                byte[] token = MitWrap(mit, message, seal);
                var plaintext = new ArrayBufferWriter<byte>();

                SecurityStatus status = managed.Unwrap(token, plaintext, out bool encrypted);

                Assert.True(status.Code == SecurityStatusCode.Completed, $"{enctype} size {size}: {status}");
                Assert.Equal(seal, encrypted);
                Assert.True(plaintext.WrittenSpan.SequenceEqual(message), $"{enctype} size {size}: the engine unwrapped other bytes");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MICs_verify_both_ways(string enctype, bool managedInitiator, bool ignored)
    {
        _ = ignored;
        (IMessageProtection managed, GssContextHandle mit, GssContextPair pair) = Split(enctype, managedInitiator);
        using (pair)
        using (managed)
        {
            byte[] message = Message(300);
            var ours = new ArrayBufferWriter<byte>();
            Assert.Equal(SecurityStatusCode.Completed, managed.GetMic(message, ours).Code);
            Assert.True(MitVerifyMic(mit, message, ours.WrittenSpan) == 0, $"{enctype}: MIT refused the engine's MIC");

            byte[] theirs = MitGetMic(mit, message);
            Assert.Equal(SecurityStatusCode.Completed, managed.VerifyMic(message, theirs).Code);
            theirs[^1] ^= 1;
            Assert.Equal(SecurityStatusCode.MessageAltered, managed.VerifyMic(message, theirs).Code);
        }
    }

    [Fact]
    public void MIT_refuses_an_engine_token_with_a_flipped_byte()
    {
        (IMessageProtection managed, GssContextHandle mit, GssContextPair pair) = Split("aes256-cts-hmac-sha1-96", managedInitiator: false);
        using (pair)
        using (managed)
        {
            var token = new ArrayBufferWriter<byte>();
            managed.Wrap("tamper with me"u8, encrypt: true, token);
            byte[] bytes = token.WrittenSpan.ToArray();
            bytes[^5] ^= 0x10;

            Assert.NotEqual(0u, MitUnwrap(mit, bytes).Major);
        }
    }

    private static byte[] Message(int size)
    {
        byte[] message = new byte[size];
        Random.Shared.NextBytes(message);
        return message;
    }

    private static (uint Major, byte[] Plaintext, bool Encrypted) MitUnwrap(GssContextHandle context, ReadOnlySpan<byte> token)
    {
        uint minor;
        int conf = 0;
        GssApi.GssBuffer output = default;
        byte[] copy = token.ToArray();
        fixed (byte* p = copy)
        {
            var input = new GssApi.GssBuffer { Length = (nuint)copy.Length, Value = p };
            uint major = GssApi.gss_unwrap(&minor, context.DangerousGetHandle(), &input, &output, &conf, null);
            byte[] plaintext = major == 0 ? output.AsSpan().ToArray() : [];
            GssApi.Release(ref output);
            return (major, plaintext, conf != 0);
        }
    }

    private static byte[] MitWrap(GssContextHandle context, byte[] message, bool seal)
    {
        uint minor;
        int conf = 0;
        byte empty = 0;
        GssApi.GssBuffer output = default;
        fixed (byte* p = message)
        {
            var input = new GssApi.GssBuffer { Length = (nuint)message.Length, Value = p == null ? &empty : p };
            Assert.Equal(0u, GssApi.gss_wrap(&minor, context.DangerousGetHandle(), seal ? 1 : 0, GssApi.QopDefault, &input, &conf, &output));
        }

        byte[] token = output.AsSpan().ToArray();
        GssApi.Release(ref output);
        return token;
    }

    private static byte[] MitGetMic(GssContextHandle context, byte[] message)
    {
        uint minor;
        GssApi.GssBuffer output = default;
        fixed (byte* p = message)
        {
            var input = new GssApi.GssBuffer { Length = (nuint)message.Length, Value = p };
            Assert.Equal(0u, GssApi.gss_get_mic(&minor, context.DangerousGetHandle(), GssApi.QopDefault, &input, &output));
        }

        byte[] mic = output.AsSpan().ToArray();
        GssApi.Release(ref output);
        return mic;
    }

    private static uint MitVerifyMic(GssContextHandle context, byte[] message, ReadOnlySpan<byte> mic)
    {
        uint minor, qop = 0;
        byte[] token = mic.ToArray();
        fixed (byte* m = message)
        fixed (byte* t = token)
        {
            var input = new GssApi.GssBuffer { Length = (nuint)message.Length, Value = m };
            var micBuffer = new GssApi.GssBuffer { Length = (nuint)token.Length, Value = t };
            return GssApi.gss_verify_mic(&minor, context.DangerousGetHandle(), &input, &micBuffer, &qop);
        }
    }
}
