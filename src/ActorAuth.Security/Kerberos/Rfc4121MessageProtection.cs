using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using static ActorAuth.Security.Kerberos.Rfc4121Tokens;

namespace ActorAuth.Security.Kerberos;

/// <summary>
/// RFC 4121 per-message protection in managed code for the AES enctypes of RFC 3962 and RFC 8009, producing
/// and accepting the bytes MIT krb5 does (<c>k5sealv3.c</c>, <c>unwrap.c</c>, <c>verify_mic.c</c>). Keys are
/// derived once per context; a message costs no allocation beyond the output writer's (scratch comes from
/// <see cref="ArrayPool{T}.Shared"/> and is cleared before it goes back).
/// <para>
/// As MIT: tokens are sent with RRC 0 and EC 0 (AES-CTS needs no padding), one SND_SEQ counter numbers wrap
/// and MIC tokens alike, a received token may be rotated by any RRC, and a received token's AcceptorSubkey
/// flag picks the acceptor subkey only when one was asserted, the context key otherwise (an initiator may
/// protect tokens before it learns of the subkey). Order and replay are checked above (<see cref="WrapTokenSequence"/>).
/// </para>
/// </summary>
internal sealed class Rfc4121MessageProtection : IMessageProtection
{
    // Room for the confounder, both headers, padding and the MAC within an array's largest length.
    private static readonly int MaxMessageLength = Array.MaxLength - 128;

    private static readonly SecurityStatus NotWrapToken = new(SecurityStatusCode.Unsupported, "the token is not an RFC 4121 wrap token (legacy DES/RC4 tokens are not supported)");
    private static readonly SecurityStatus NotMicToken = new(SecurityStatusCode.Unsupported, "the token is not an RFC 4121 MIC token (legacy DES/RC4 tokens are not supported)");
    private static readonly SecurityStatus UnsupportedKey = new(SecurityStatusCode.Unsupported, "the token is protected with the context key instead of the acceptor subkey, and that key's enctype is not supported here");
    private static readonly SecurityStatus Reflected = new(SecurityStatusCode.MessageAltered, "the token claims this side's own direction (a reflected token)");
    private static readonly SecurityStatus Malformed = new(SecurityStatusCode.InvalidToken, "the wrap token is malformed: its length does not fit its EC field and checksum");
    private static readonly SecurityStatus Altered = new(SecurityStatusCode.MessageAltered, "the message failed its integrity check (tampered, or the wrong key)");
    private static readonly SecurityStatus HeaderAltered = new(SecurityStatusCode.MessageAltered, "the wrap token's header differs from the copy sealed inside it (tampered)");
    private static readonly SecurityStatus TooLarge = new(SecurityStatusCode.Failure, "the message is too large to wrap");

    private readonly Rfc4121Keys _send;
    private readonly Rfc4121Keys _receive;
    private readonly KerberosEnctype? _contextKeyEnctype;
    private readonly byte[]? _contextKey;
    private readonly int _receiveSeal;
    private readonly int _receiveSign;
    private Rfc4121Keys? _receiveWithContextKey;
    private readonly bool _haveAcceptorSubkey;
    private readonly byte _sendFlags;
    private readonly byte _peerDirection;
    private ulong _sendSequence;
    private bool _disposed;

    private Rfc4121MessageProtection(LucidContext context, KerberosEnctype enctype, byte[] key, KerberosEnctype? contextKeyEnctype)
    {
        (int sendSeal, int sendSign, int receiveSeal, int receiveSign) = context.IsInitiator
            ? (InitiatorSeal, InitiatorSign, AcceptorSeal, AcceptorSign)
            : (AcceptorSeal, AcceptorSign, InitiatorSeal, InitiatorSign);
        _send = new Rfc4121Keys(enctype, key, sendSeal, sendSign);
        _receive = new Rfc4121Keys(enctype, key, receiveSeal, receiveSign);
        if (contextKeyEnctype is not null)
        {
            // Only a peer that leaves the AcceptorSubkey flag off needs these keys: derived on its first such token.
            _contextKeyEnctype = contextKeyEnctype;
            _contextKey = context.ContextKey.ToArray();
        }

        (_receiveSeal, _receiveSign) = (receiveSeal, receiveSign);

        _haveAcceptorSubkey = context.HaveAcceptorSubkey;
        _sendFlags = (byte)((context.IsInitiator ? 0 : SentByAcceptor) | (context.HaveAcceptorSubkey ? AcceptorSubkey : 0));
        _peerDirection = context.IsInitiator ? SentByAcceptor : (byte)0;
        _sendSequence = context.SendSequence;
    }

    /// <summary>True for the enctypes protected here: 17, 18 (RFC 3962), 19 and 20 (RFC 8009).</summary>
    public static bool Supports(int enctype) => KerberosEnctype.Find(enctype) is not null;

    /// <summary>
    /// The managed protection of an exported context, or null when it is not RFC 4121 (protocol 1) or its
    /// protection key is not one of the supported enctypes. Nothing keeps a reference to the context's key
    /// arrays: the caller clears them (<see cref="LucidContext.ClearKeys"/>) once this returns.
    /// </summary>
    public static IMessageProtection? Create(LucidContext context)
    {
        (int enctypeId, byte[] key) = context.ProtectionKey;
        KerberosEnctype? enctype = KerberosEnctype.Find(enctypeId);
        if (context.Protocol != 1 || enctype is null || key.Length != enctype.KeyLength)
        {
            return null;
        }

        // Tokens without the AcceptorSubkey flag are checked with the context key when an acceptor subkey is in use (as MIT).
        KerberosEnctype? contextKeyEnctype = context.HaveAcceptorSubkey ? KerberosEnctype.Find(context.ContextKeyType) : null;
        if (contextKeyEnctype is not null && context.ContextKey.Length != contextKeyEnctype.KeyLength)
        {
            contextKeyEnctype = null;
        }

        return new Rfc4121MessageProtection(context, enctype, key, contextKeyEnctype);
    }

    /// <inheritdoc />
    public SecurityStatus Wrap(ReadOnlySpan<byte> message, bool encrypt, IBufferWriter<byte> output)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (message.Length > MaxMessageLength)
        {
            return TooLarge;
        }

        if (encrypt)
        {
            WrapSealed(message, output);
        }
        else
        {
            WrapSigned(message, output);
        }

        _sendSequence++;
        return SecurityStatus.Completed;
    }

    /// <summary>header | E(confounder | message | header copy) | MAC, with EC and RRC 0 in both headers (as MIT).</summary>
    private void WrapSealed(ReadOnlySpan<byte> message, IBufferWriter<byte> output)
    {
        KerberosCipher cipher = _send.Seal;
        int plainLength = KerberosEnctype.ConfounderLength + message.Length + HeaderLength;
        int tokenLength = HeaderLength + plainLength + cipher.MacLength;
        int scratchLength = AesCts.PaddedLength(plainLength);
        byte[] scratch = ArrayPool<byte>.Shared.Rent(scratchLength);
        try
        {
            Span<byte> header = stackalloc byte[HeaderLength];
            WriteWrapHeader(header, (byte)(_sendFlags | Sealed), 0, 0, _sendSequence);
            RandomNumberGenerator.Fill(scratch.AsSpan(0, KerberosEnctype.ConfounderLength));
            message.CopyTo(scratch.AsSpan(KerberosEnctype.ConfounderLength));
            header.CopyTo(scratch.AsSpan(KerberosEnctype.ConfounderLength + message.Length));

            Span<byte> token = output.GetSpan(tokenLength)[..tokenLength];
            cipher.Encrypt(scratch, plainLength, token[(HeaderLength + plainLength)..]);
            header.CopyTo(token);
            scratch.AsSpan(0, plainLength).CopyTo(token[HeaderLength..]);
            output.Advance(tokenLength);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(scratch.AsSpan(0, scratchLength));
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>header | message | checksum, the checksum over message | header with EC and RRC 0; EC then holds the checksum's length.</summary>
    private void WrapSigned(ReadOnlySpan<byte> message, IBufferWriter<byte> output)
    {
        TruncatedHmac checksum = _send.WrapChecksum;
        int tokenLength = HeaderLength + message.Length + checksum.Length;
        Span<byte> token = output.GetSpan(tokenLength)[..tokenLength];
        WriteWrapHeader(token, _sendFlags, 0, 0, _sendSequence);
        checksum.Compute(message, token[..HeaderLength], token[(HeaderLength + message.Length)..]);
        message.CopyTo(token[HeaderLength..]);
        BinaryPrimitives.WriteUInt16BigEndian(token[4..], (ushort)checksum.Length);
        output.Advance(tokenLength);
    }

    /// <inheritdoc />
    public SecurityStatus Unwrap(ReadOnlySpan<byte> token, IBufferWriter<byte> output, out bool wasEncrypted)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        wasEncrypted = false;
        if (!IsWrapHeader(token))
        {
            return NotWrapToken;
        }

        byte flags = token[2];
        if ((flags & SentByAcceptor) != _peerDirection)
        {
            return Reflected;
        }

        Rfc4121Keys? keys = ReceiveKeys(flags);
        if (keys is null)
        {
            return UnsupportedKey;
        }

        bool isSealed = (flags & Sealed) != 0;
        SecurityStatus status = isSealed ? UnwrapSealed(token, keys.Seal, output) : UnwrapSigned(token, keys.WrapChecksum, output);
        wasEncrypted = isSealed && !status.IsError;
        return status;
    }

    private static SecurityStatus UnwrapSealed(ReadOnlySpan<byte> token, KerberosCipher cipher, IBufferWriter<byte> output)
    {
        int extraCount = BinaryPrimitives.ReadUInt16BigEndian(token[4..]);
        int rightRotationCount = BinaryPrimitives.ReadUInt16BigEndian(token[6..]);
        ReadOnlySpan<byte> body = token[HeaderLength..];
        int cipherLength = body.Length - cipher.MacLength;

        // The plaintext holds at least the confounder, EC filler bytes and the header copy.
        if (cipherLength < KerberosEnctype.ConfounderLength + extraCount + HeaderLength)
        {
            return Malformed;
        }

        int scratchLength = Math.Max(body.Length, AesCts.PaddedLength(cipherLength));
        byte[] scratch = ArrayPool<byte>.Shared.Rent(scratchLength);
        try
        {
            Unrotate(body, rightRotationCount, scratch);
            Span<byte> mac = stackalloc byte[cipher.MacLength];
            scratch.AsSpan(cipherLength, cipher.MacLength).CopyTo(mac);
            if (!cipher.Decrypt(scratch, cipherLength, mac))
            {
                return Altered;
            }

            ReadOnlySpan<byte> plain = scratch.AsSpan(KerberosEnctype.ConfounderLength, cipherLength - KerberosEnctype.ConfounderLength);
            if (!HeaderCopyMatches(token, plain[^HeaderLength..]))
            {
                return HeaderAltered;
            }

            int messageLength = plain.Length - extraCount - HeaderLength;
            plain[..messageLength].CopyTo(output.GetSpan(messageLength));
            output.Advance(messageLength);
            return SecurityStatus.Completed;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(scratch.AsSpan(0, scratchLength));
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>The sealed copy must repeat TOK_ID, flags, filler, EC and SND_SEQ (MIT checks EC since CVE-2024-37370); RRC may differ.</summary>
    private static bool HeaderCopyMatches(ReadOnlySpan<byte> header, ReadOnlySpan<byte> copy) =>
        header[..6].SequenceEqual(copy[..6]) && header[8..HeaderLength].SequenceEqual(copy[8..HeaderLength]);

    private static SecurityStatus UnwrapSigned(ReadOnlySpan<byte> token, TruncatedHmac checksum, IBufferWriter<byte> output)
    {
        int extraCount = BinaryPrimitives.ReadUInt16BigEndian(token[4..]);
        int rightRotationCount = BinaryPrimitives.ReadUInt16BigEndian(token[6..]);
        ReadOnlySpan<byte> body = token[HeaderLength..];

        // EC carries the checksum's length in a sign-only token.
        if (extraCount != checksum.Length || body.Length < checksum.Length)
        {
            return Malformed;
        }

        Span<byte> header = stackalloc byte[HeaderLength];
        token[..HeaderLength].CopyTo(header);
        header[4..8].Clear();
        if (IsUnrotated(body.Length, rightRotationCount))
        {
            return VerifySigned(body, header, checksum, output);
        }

        byte[] scratch = ArrayPool<byte>.Shared.Rent(body.Length);
        try
        {
            Unrotate(body, rightRotationCount, scratch);
            return VerifySigned(scratch.AsSpan(0, body.Length), header, checksum, output);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(scratch.AsSpan(0, body.Length));
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private static SecurityStatus VerifySigned(ReadOnlySpan<byte> body, ReadOnlySpan<byte> header, TruncatedHmac checksum, IBufferWriter<byte> output)
    {
        ReadOnlySpan<byte> message = body[..^checksum.Length];
        if (!checksum.Verify(message, header, body[^checksum.Length..]))
        {
            return Altered;
        }

        message.CopyTo(output.GetSpan(message.Length));
        output.Advance(message.Length);
        return SecurityStatus.Completed;
    }

    /// <inheritdoc />
    public SecurityStatus GetMic(ReadOnlySpan<byte> message, IBufferWriter<byte> output)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        TruncatedHmac checksum = _send.MicChecksum;
        int tokenLength = HeaderLength + checksum.Length;
        Span<byte> token = output.GetSpan(tokenLength)[..tokenLength];
        WriteMicHeader(token, _sendFlags, _sendSequence);
        checksum.Compute(message, token[..HeaderLength], token[HeaderLength..]);
        output.Advance(tokenLength);
        _sendSequence++;
        return SecurityStatus.Completed;
    }

    /// <inheritdoc />
    public SecurityStatus VerifyMic(ReadOnlySpan<byte> message, ReadOnlySpan<byte> mic)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!IsMicHeader(mic))
        {
            return NotMicToken;
        }

        byte flags = mic[2];
        if ((flags & SentByAcceptor) != _peerDirection)
        {
            return Reflected;
        }

        Rfc4121Keys? keys = ReceiveKeys(flags);
        if (keys is null)
        {
            return UnsupportedKey;
        }

        return keys.MicChecksum.Verify(message, mic[..HeaderLength], mic[HeaderLength..]) ? SecurityStatus.Completed : Altered;
    }

    /// <summary>
    /// The keys a received token is checked with (MIT's choice): the acceptor subkey when one was asserted and
    /// the token says so, else the context key (a flag without an asserted subkey is ignored).
    /// </summary>
    private Rfc4121Keys? ReceiveKeys(byte flags) =>
        !_haveAcceptorSubkey || (flags & AcceptorSubkey) != 0 ? _receive
        : _contextKeyEnctype is null ? null
        : _receiveWithContextKey ??= new Rfc4121Keys(_contextKeyEnctype, _contextKey, _receiveSeal, _receiveSign);

    /// <summary>Clears every derived key; the instance is unusable afterwards.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _send.Dispose();
        _receive.Dispose();
        _receiveWithContextKey?.Dispose();
        if (_contextKey is not null)
        {
            CryptographicOperations.ZeroMemory(_contextKey);
        }
    }
}
