using System.Runtime.InteropServices;

namespace ActorAuth.Security.Tests;

/// <summary>
/// The lucid context structs against the C layout of MIT's gssapi_krb5.h on x86_64, as gcc lays it out
/// (offsetof/sizeof of the header's own types, libkrb5-dev 1.20.1): an OM_uint32 before a pointer or a
/// uint64_t is followed by 4 bytes of padding.
/// </summary>
public sealed class LucidLayoutTests
{
    public static TheoryData<Type, string, int> Offsets() => new()
    {
        { typeof(GssApi.LucidKey), nameof(GssApi.LucidKey.Type), 0 },
        { typeof(GssApi.LucidKey), nameof(GssApi.LucidKey.Length), 4 },
        { typeof(GssApi.LucidKey), nameof(GssApi.LucidKey.Data), 8 },
        { typeof(GssApi.LucidRfc1964KeyData), nameof(GssApi.LucidRfc1964KeyData.SignAlgorithm), 0 },
        { typeof(GssApi.LucidRfc1964KeyData), nameof(GssApi.LucidRfc1964KeyData.SealAlgorithm), 4 },
        { typeof(GssApi.LucidRfc1964KeyData), nameof(GssApi.LucidRfc1964KeyData.ContextKey), 8 },
        { typeof(GssApi.LucidCfxKeyData), nameof(GssApi.LucidCfxKeyData.HaveAcceptorSubkey), 0 },
        { typeof(GssApi.LucidCfxKeyData), nameof(GssApi.LucidCfxKeyData.ContextKey), 8 },
        { typeof(GssApi.LucidCfxKeyData), nameof(GssApi.LucidCfxKeyData.AcceptorSubkey), 24 },
        { typeof(GssApi.LucidContextV1), nameof(GssApi.LucidContextV1.Version), 0 },
        { typeof(GssApi.LucidContextV1), nameof(GssApi.LucidContextV1.Initiate), 4 },
        { typeof(GssApi.LucidContextV1), nameof(GssApi.LucidContextV1.EndTime), 8 },
        { typeof(GssApi.LucidContextV1), nameof(GssApi.LucidContextV1.SendSequence), 16 },
        { typeof(GssApi.LucidContextV1), nameof(GssApi.LucidContextV1.ReceiveSequence), 24 },
        { typeof(GssApi.LucidContextV1), nameof(GssApi.LucidContextV1.Protocol), 32 },
        { typeof(GssApi.LucidContextV1), nameof(GssApi.LucidContextV1.Rfc1964), 40 },
        { typeof(GssApi.LucidContextV1), nameof(GssApi.LucidContextV1.Cfx), 64 },
    };

    [Theory]
    [MemberData(nameof(Offsets))]
    public void Field_is_at_its_C_offset(Type type, string field, int offset) =>
        Assert.Equal(offset, (int)Marshal.OffsetOf(type, field));

    [Fact]
    public unsafe void Structs_have_their_C_sizes() => Assert.Equal(
        (16, 24, 40, 104),
        (sizeof(GssApi.LucidKey), sizeof(GssApi.LucidRfc1964KeyData), sizeof(GssApi.LucidCfxKeyData), sizeof(GssApi.LucidContextV1)));
}
