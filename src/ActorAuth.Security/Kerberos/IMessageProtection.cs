using System.Buffers;

namespace ActorAuth.Security.Kerberos;

/// <summary>
/// Per-message protection of a completed context done outside the platform's library (RFC 4121 in managed
/// code): the same four operations and statuses as <see cref="SecurityContextPal"/>'s. Replay and order are
/// checked above it (<see cref="WrapTokenSequence"/>); an implementation numbers what it sends from the
/// exported send sequence. Dispose clears its keys. Not thread-safe: one owner at a time.
/// </summary>
internal interface IMessageProtection : IDisposable
{
    /// <summary>Protects <paramref name="message"/> into a wrap token, encrypted when <paramref name="encrypt"/>.</summary>
    SecurityStatus Wrap(ReadOnlySpan<byte> message, bool encrypt, IBufferWriter<byte> output);

    /// <summary>Verifies (and decrypts) a wrap token into <paramref name="output"/>; nothing is written unless it verifies.</summary>
    SecurityStatus Unwrap(ReadOnlySpan<byte> token, IBufferWriter<byte> output, out bool wasEncrypted);

    /// <summary>Writes the MIC token of <paramref name="message"/>.</summary>
    SecurityStatus GetMic(ReadOnlySpan<byte> message, IBufferWriter<byte> output);

    /// <summary>Verifies <paramref name="mic"/> over <paramref name="message"/>.</summary>
    SecurityStatus VerifyMic(ReadOnlySpan<byte> message, ReadOnlySpan<byte> mic);
}

/// <summary>
/// The RFC 4121 state of a completed Kerberos context as MIT exports it (<c>gss_krb5_export_lucid_sec_context</c>,
/// version 1): who initiated, the next sequence numbers each way, the protocol (0 RFC 1964, 1 CFX/RFC 4121) and
/// the keys. The key arrays are the caller's to clear once it has derived what it needs.
/// </summary>
/// <param name="IsInitiator">This side initiated the context (the client).</param>
/// <param name="SendSequence">The SND_SEQ of the next token this side sends.</param>
/// <param name="ReceiveSequence">The SND_SEQ expected on the next token from the peer.</param>
/// <param name="Protocol">0: RFC 1964 (DES, RC4); 1: RFC 4121 (AES and later).</param>
/// <param name="HaveAcceptorSubkey">The acceptor asserted a subkey: tokens are protected with it and carry the AcceptorSubkey flag.</param>
/// <param name="ContextKeyType">Enctype of the context key (the initiator's subkey, else the session key).</param>
/// <param name="ContextKey">The context key.</param>
/// <param name="AcceptorSubkeyType">Enctype of the acceptor subkey; 0 when there is none.</param>
/// <param name="AcceptorSubkey">The acceptor subkey; empty when there is none.</param>
internal sealed record LucidContext(
    bool IsInitiator,
    ulong SendSequence,
    ulong ReceiveSequence,
    int Protocol,
    bool HaveAcceptorSubkey,
    int ContextKeyType,
    byte[] ContextKey,
    int AcceptorSubkeyType,
    byte[] AcceptorSubkey)
{
    /// <summary>The key tokens are protected with (RFC 4121 §2): the acceptor subkey when there is one.</summary>
    public (int Enctype, byte[] Key) ProtectionKey => HaveAcceptorSubkey ? (AcceptorSubkeyType, AcceptorSubkey) : (ContextKeyType, ContextKey);

    /// <summary>Clears both keys.</summary>
    public void ClearKeys()
    {
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(ContextKey);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(AcceptorSubkey);
    }
}
