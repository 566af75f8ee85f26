namespace ActorAuth.Actors;

/// <summary>
/// Applies the decider's directive to the failed child only. Restarts are budgeted per child: more than
/// <c>maxNrOfRetries</c> restarts within <c>withinTimeRange</c> stops the child instead.
/// </summary>
public sealed class OneForOneStrategy : SupervisorStrategy
{
    private readonly int _maxNrOfRetries;
    private readonly TimeSpan _withinTimeRange;

    /// <summary>A strategy with a restart budget.</summary>
    /// <param name="maxNrOfRetries">Restarts allowed per window; 0 stops at the first restart, negative means unlimited.</param>
    /// <param name="withinTimeRange">The window, starting at the first counted restart; <see cref="Timeout.InfiniteTimeSpan"/> means forever.</param>
    /// <param name="decider">Pure map from failure to directive.</param>
    public OneForOneStrategy(int maxNrOfRetries, TimeSpan withinTimeRange, Func<Exception, Directive> decider)
    {
        ArgumentNullException.ThrowIfNull(decider);
        if (withinTimeRange <= TimeSpan.Zero && withinTimeRange != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(withinTimeRange), withinTimeRange, "Must be positive or infinite.");
        }

        _maxNrOfRetries = maxNrOfRetries;
        _withinTimeRange = withinTimeRange;
        Decider = decider;
    }

    /// <summary>A strategy with unlimited restarts.</summary>
    public OneForOneStrategy(Func<Exception, Directive> decider)
        : this(-1, Timeout.InfiniteTimeSpan, decider)
    {
    }

    /// <inheritdoc />
    public override Func<Exception, Directive> Decider { get; }

    internal override bool RequestRestartPermission(ActorCell child, TimeProvider clock)
    {
        if (_maxNrOfRetries < 0)
        {
            return true;
        }

        var stats = child.RestartStatistics;
        if (_withinTimeRange == Timeout.InfiniteTimeSpan)
        {
            return ++stats.Count <= _maxNrOfRetries;
        }

        // The window opens at the first restart and a new one opens at the first restart after it ends (as Akka does).
        var now = clock.GetTimestamp();
        if (stats.Count == 0 || clock.GetElapsedTime(stats.WindowStart, now) > _withinTimeRange)
        {
            stats.Count = 1;
            stats.WindowStart = now;
            return _maxNrOfRetries > 0;
        }

        return ++stats.Count <= _maxNrOfRetries;
    }
}
