namespace ActorAuth.Security;

/// <summary>The hand-over of a completed context's message protection from MIT to the managed RFC 4121 engine.</summary>
internal sealed partial class GssApiPal
{
    /// <summary>True once the messages are protected in managed code and MIT's context is gone.</summary>
    public override bool IsProtectionManaged => _managed is not null;

    /// <inheritdoc />
    public override ulong? ExpectedReceiveSequence => _managed is null ? null : _expectedReceiveSequence;

    /// <summary>
    /// Exports the completed context's keys and sequence numbers to the managed engine and lets MIT free its context.
    /// Only for an enctype the engine supports, asked of MIT first: the export deletes MIT's context, so a context
    /// it cannot take (RC4, DES) must never be exported. A refused export leaves MIT's context protecting as before.
    /// </summary>
    private void MoveProtectionToManagedCode()
    {
        if (GssApi.ProtectionEnctype(_context.DangerousGetHandle()) is not int enctype || !Kerberos.Rfc4121MessageProtection.Supports(enctype))
        {
            return;
        }

        if (GssApiLucidContext.Export(_context, out _) is not { } lucid)
        {
            return;
        }

        try
        {
            _managed = Kerberos.Rfc4121MessageProtection.Create(lucid);
            _expectedReceiveSequence = lucid.ReceiveSequence;
        }
        finally
        {
            lucid.ClearKeys();
        }
    }
}
