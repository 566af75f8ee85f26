namespace ActorAuth.Protocol;

/// <summary>The outcome of one attempt to read a frame from buffered bytes.</summary>
public enum FrameStatus
{
    /// <summary>A whole frame was read; the buffer now starts after it.</summary>
    Complete,

    /// <summary>Not enough bytes yet for a whole frame; nothing was consumed.</summary>
    Incomplete,

    /// <summary>The header declares a zero-length frame, which no conforming peer sends.</summary>
    EmptyFrame,

    /// <summary>The header declares more bytes than the configured maximum; nothing was consumed or allocated.</summary>
    FrameTooLarge,

    /// <summary>The header names a protocol version this reader does not speak (a NegotiateStream header other than 1.0); nothing was consumed.</summary>
    UnsupportedVersion,
}
