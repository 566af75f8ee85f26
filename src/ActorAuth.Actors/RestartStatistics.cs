namespace ActorAuth.Actors;

/// <summary>A child's restart budget usage; read and written only by its parent's mailbox run.</summary>
internal sealed class RestartStatistics
{
    /// <summary>Restarts counted in the current window.</summary>
    public int Count { get; set; }

    /// <summary>When the current window opened, as a <see cref="TimeProvider.GetTimestamp"/> value.</summary>
    public long WindowStart { get; set; }
}
