namespace ActorAuth.Protocol;

/// <summary>The outcome of one attempt to read a PROXY protocol header (<see cref="ProxyHeader"/>) from buffered bytes.</summary>
public enum ProxyHeaderStatus
{
    /// <summary>A whole, valid header was read; the buffer now starts after it.</summary>
    Complete,

    /// <summary>The bytes so far are the start of a header, but not all of it; nothing was consumed.</summary>
    Incomplete,

    /// <summary>The bytes do not start with the v2 signature nor with <c>"PROXY "</c>: the peer sent no header.</summary>
    NotProxyHeader,

    /// <summary>The v2 signature, followed by a version other than 2 (the spec says receivers accept only 2).</summary>
    UnsupportedVersion,

    /// <summary>A v2 command other than LOCAL or PROXY, which receivers must drop.</summary>
    UnsupportedCommand,

    /// <summary>A header that breaks the spec: an unknown family or protocol, an address block too short for its family, a bad v1 line.</summary>
    Malformed,

    /// <summary>The header declares (v2) or runs to (v1, no CRLF yet) more than the configured maximum; nothing was consumed.</summary>
    TooLarge,
}
