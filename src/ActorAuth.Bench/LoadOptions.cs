using System.Net;

namespace ActorAuth.Bench;

/// <summary>The shape of one load run, shared by <c>actorauth bench</c> and the NegotiateStream baseline.</summary>
public sealed record LoadOptions
{
    /// <summary>Concurrent clients: the number of worker loops (in hold mode, the number of sessions to hold).</summary>
    public int Connections { get; init; } = 64;

    /// <summary>Handshakes to run in all; the run stops at this count or at <see cref="Duration"/>, whichever comes first.</summary>
    public long Handshakes { get; init; } = 1_000;

    /// <summary>A time bound instead of (or as well as) <see cref="Handshakes"/>; null: none.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Worker i starts at i/C of this: connections ramp up linearly instead of all at once.</summary>
    public TimeSpan Ramp { get; init; } = TimeSpan.Zero;

    /// <summary>Bytes of each protected request (echoed back).</summary>
    public int MessageSize { get; init; } = 64;

    /// <summary>Protected round trips per session before it is closed (at least 1: the first is timed separately).</summary>
    public int MessagesPerSession { get; init; } = 1;

    /// <summary>Handshakes run before the measured ones and left out of every figure (not in hold mode): warms both ends up.</summary>
    public long Warmup { get; init; }

    /// <summary>Local addresses the client sockets are bound to in turn (empty: the kernel chooses).</summary>
    public IReadOnlyList<IPAddress> SourceAddresses { get; init; } = [];

    /// <summary>Hold mode: open <see cref="Connections"/> sessions, keep them this long, then do a protected round trip on each.</summary>
    public TimeSpan? Hold { get; init; }

    /// <summary>In hold mode, how many loops open the sessions (bounded, so a 100,000-session run is not 100,000 tasks).</summary>
    public int HoldOpeners { get; init; } = 256;

    /// <summary>A process whose CPU and memory are sampled before and after (the server under test), or null.</summary>
    public int? ServerProcessId { get; init; }

    /// <summary>
    /// Other processes of the service sampled over the same interval as the server (e.g. the other nodes of a
    /// cluster, which answer the server's replay checks): their CPU per handshake the server served, and memory.
    /// </summary>
    public IReadOnlyList<int> PeerProcessIds { get; init; } = [];

    /// <summary>Show a progress line rewritten in place (only when stdout is a terminal).</summary>
    public bool Progress { get; init; } = true;

    /// <summary>Throws for an inconsistent shape.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Connections, 1, nameof(Connections));
        ArgumentOutOfRangeException.ThrowIfLessThan(Handshakes, 1, nameof(Handshakes));
        ArgumentOutOfRangeException.ThrowIfNegative(MessageSize, nameof(MessageSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MessagesPerSession, 1, nameof(MessagesPerSession));
        ArgumentOutOfRangeException.ThrowIfLessThan(HoldOpeners, 1, nameof(HoldOpeners));
        ArgumentOutOfRangeException.ThrowIfNegative(Warmup, nameof(Warmup));
        if (Hold is not null && Warmup > 0)
        {
            throw new ArgumentException("A warm-up is for handshake runs, not hold mode.", nameof(Warmup));
        }

        if (Duration is { } d && d <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Duration), "The duration must be positive.");
        }
    }
}
