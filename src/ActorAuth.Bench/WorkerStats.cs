namespace ActorAuth.Bench;

/// <summary>
/// What one worker loop counted. Written by that loop only (no locks); the counters are read racily by the
/// progress line, and everything is summed once the loops have finished. Its latencies go to the run's shared
/// <see cref="RunLatencies"/>.
/// </summary>
internal sealed class WorkerStats
{
    private long _succeeded;
    private long _failed;

    public Dictionary<string, long> Errors { get; } = new(StringComparer.Ordinal);

    public long Succeeded => Volatile.Read(ref _succeeded);

    public long Failed => Volatile.Read(ref _failed);

    public void Success() => Volatile.Write(ref _succeeded, _succeeded + 1);

    public void Failure(string reason)
    {
        Volatile.Write(ref _failed, _failed + 1);
        Errors[reason] = Errors.GetValueOrDefault(reason) + 1;
    }
}
