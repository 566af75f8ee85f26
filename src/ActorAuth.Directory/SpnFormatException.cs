namespace ActorAuth.Directory;

/// <summary>An SPN or one of its components is malformed; the message names the component and what is wrong with it.</summary>
public sealed class SpnFormatException : FormatException
{
    /// <summary>Creates the exception with a message that names the faulty component.</summary>
    public SpnFormatException(string message)
        : base(message)
    {
    }
}
