namespace ActorAuth.Bench;

/// <summary>
/// One of <see cref="LoadOptions.PeerProcessIds"/> over the measured interval: its CPU time and its resident memory
/// before and after; all null if it could not be read.
/// </summary>
public sealed record PeerSample(int ProcessId, TimeSpan? Cpu, long? RssBefore, long? RssAfter);
