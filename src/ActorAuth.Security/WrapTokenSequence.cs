using System.Buffers.Binary;

namespace ActorAuth.Security;

/// <summary>
/// Replay and order detection for wrap and MIC tokens (RFC 4121 §4.2.6), done here because the platform does
/// not do it: .NET never asks GSSAPI for GSS_C_REPLAY_FLAG/GSS_C_SEQUENCE_FLAG, and its Unwrap and
/// VerifyIntegrityCheck return success for a replayed or reordered token on Linux. Each side numbers its wrap
/// and MIC tokens from one counter (as MIT and SSPI do), so one sequence covers both. The 64-bit SND_SEQ sits
/// in the token header in clear and is covered by the token's checksum (or its encrypted header copy), so once
/// a token has verified, its number is authentic. The first number seen is taken as the peer's start; every
/// later token must carry exactly the next one. A replayed token (a number already seen) and a reordered or
/// dropped one (a gap) are refused alike.
/// <code>
/// wrap: byte 0..1 TOK_ID 05 04   byte 2 Flags (bit 0 SentByAcceptor, bit 1 Sealed, bit 2 AcceptorSubkey)
///       byte 3 Filler FF         byte 4..5 EC   byte 6..7 RRC   byte 8..15 SND_SEQ (big-endian)
/// MIC:  byte 0..1 TOK_ID 04 04   byte 2 Flags (as wrap, Sealed clear)
///       byte 3..7 Filler FF FF FF FF FF                         byte 8..15 SND_SEQ (big-endian)
/// </code>
/// </summary>
public sealed class WrapTokenSequence
{
    private const int HeaderLength = 16;
    private ulong _next;
    private bool _started;

    /// <summary>Reads the sequence number of an RFC 4121 wrap token; false if the bytes are not one.</summary>
    public static bool TryReadSequenceNumber(ReadOnlySpan<byte> token, out ulong sequenceNumber)
    {
        sequenceNumber = 0;
        if (token.Length < HeaderLength || token[0] != 0x05 || token[1] != 0x04 || token[3] != 0xFF)
        {
            return false;
        }

        sequenceNumber = BinaryPrimitives.ReadUInt64BigEndian(token[8..16]);
        return true;
    }

    /// <summary>Reads the sequence number of an RFC 4121 MIC token; false if the bytes are not one.</summary>
    public static bool TryReadMicSequenceNumber(ReadOnlySpan<byte> mic, out ulong sequenceNumber)
    {
        sequenceNumber = 0;
        if (mic.Length < HeaderLength || mic[0] != 0x04 || mic[1] != 0x04 || mic[3..8].ContainsAnyExcept((byte)0xFF))
        {
            return false;
        }

        sequenceNumber = BinaryPrimitives.ReadUInt64BigEndian(mic[8..16]);
        return true;
    }

    /// <summary>The status for a token whose header is not an RFC 4121 wrap or MIC token header.</summary>
    public static SecurityStatus NotRfc4121(ReadOnlySpan<byte> token) => new(SecurityStatusCode.Unsupported,
        $"the token is not an RFC 4121 token (it starts {Convert.ToHexString(token[..Math.Min(16, token.Length)])}), so its order cannot be checked (legacy DES/RC4 enctypes are not supported)");

    /// <summary>
    /// Fixes the number the peer's next token must carry, where the context says it (MIT's exported context does):
    /// then even the first token is checked, so a gap or a reordering right after the handshake is refused too.
    /// </summary>
    public void Expect(ulong nextSequenceNumber)
    {
        _started = true;
        _next = nextSequenceNumber;
    }

    /// <summary>
    /// Checks the number of a token that has verified against the expected one, and advances. The number must
    /// be read (<see cref="TryReadSequenceNumber"/>, <see cref="TryReadMicSequenceNumber"/>) before unwrapping: MIT
    /// rearranges a sign-only wrap token in place.
    /// </summary>
    public SecurityStatus Check(ulong sequenceNumber)
    {
        if (_started && sequenceNumber != _next)
        {
            return new(SecurityStatusCode.OutOfSequence, sequenceNumber < _next
                ? $"the message is a replay or arrived late (sequence number {sequenceNumber}, expected {_next})"
                : $"a message is missing or the order was changed (sequence number {sequenceNumber}, expected {_next})");
        }

        _started = true;
        _next = sequenceNumber + 1;
        return SecurityStatus.Completed;
    }
}
