using System.Buffers.Binary;
using System.Security.Cryptography;

namespace ActorAuth.Security.Kerberos;

/// <summary>PLACEHOLDER until the parser lands.</summary>
public readonly record struct ReplayTag(ulong Hi, ulong Lo)
{
    public const int Size = 16;

    public static bool TryCompute(ReadOnlySpan<byte> token, out ReplayTag tag)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(token, hash);
        tag = Read(hash);
        return token.Length > 0;
    }

    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, Hi);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], Lo);
    }

    public static ReplayTag Read(ReadOnlySpan<byte> source) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(source), BinaryPrimitives.ReadUInt64BigEndian(source[8..]));
}
