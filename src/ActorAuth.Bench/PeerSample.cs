namespace ActorAuth.Bench;

/// <summary>
/// One of <see cref="LoadOptions.PeerProcessIds"/> over the measured interval: its CPU time and its resident memory
/// before and after; all null if it could not be read.
/// </summary>
public sealed record PeerSample(int ProcessId, TimeSpan? Cpu, long? RssBefore, long? RssAfter)
{
    /// <summary>Each of <paramref name="processIds"/> between its samples <paramref name="before"/> and <paramref name="after"/> (same order).</summary>
    public static IReadOnlyList<PeerSample> Between(IReadOnlyList<int> processIds, ProcessSample?[] before, ProcessSample?[] after) =>
        [.. processIds.Select((pid, i) => before[i] is { } b && after[i] is { } a
            ? new PeerSample(pid, a.Cpu - b.Cpu, b.ResidentBytes, a.ResidentBytes)
            : new PeerSample(pid, null, null, null))];
}
