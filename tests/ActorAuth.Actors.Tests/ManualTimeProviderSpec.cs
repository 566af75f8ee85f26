using ActorAuth.TestKit;

namespace ActorAuth.Actors.Tests;

public sealed class ManualTimeProviderSpec
{
    private readonly ManualTimeProvider _time = new();
    private readonly List<string> _fired = [];

    [Fact]
    public void Advance_moves_now_and_timestamps_by_exactly_the_delta()
    {
        var start = _time.GetUtcNow();
        var stamp = _time.GetTimestamp();

        _time.Advance(TimeSpan.FromSeconds(90));

        Assert.Equal(start.AddSeconds(90), _time.GetUtcNow());
        Assert.Equal(TimeSpan.FromSeconds(90), _time.GetElapsedTime(stamp));
    }

    [Fact]
    public void Advance_fires_due_timers_in_due_time_order()
    {
        _time.CreateTimer(_ => _fired.Add("late"), null, TimeSpan.FromSeconds(3), Timeout.InfiniteTimeSpan);
        _time.CreateTimer(_ => _fired.Add("early"), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        _time.CreateTimer(_ => _fired.Add("never"), null, TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);

        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(["early", "late"], _fired);
    }

    [Fact]
    public void A_periodic_timer_fires_once_per_period_crossed()
    {
        _time.CreateTimer(_ => _fired.Add(_time.GetUtcNow().ToString("ss", System.Globalization.CultureInfo.InvariantCulture)), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));

        _time.Advance(TimeSpan.FromSeconds(6));

        Assert.Equal(["01", "03", "05"], _fired);
    }

    [Fact]
    public void A_timer_created_by_a_callback_fires_in_the_same_advance_when_due()
    {
        _time.CreateTimer(
            _ =>
            {
                _fired.Add("outer");
                _time.CreateTimer(_ => _fired.Add("inner"), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
            },
            null,
            TimeSpan.FromSeconds(1),
            Timeout.InfiniteTimeSpan);

        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(["outer", "inner"], _fired);
    }

    [Fact]
    public void Change_and_Dispose_reschedule_and_stop_a_timer()
    {
        var moved = _time.CreateTimer(_ => _fired.Add("moved"), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        var disposed = _time.CreateTimer(_ => _fired.Add("disposed"), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        moved.Change(TimeSpan.FromSeconds(3), Timeout.InfiniteTimeSpan);
        disposed.Dispose();
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Empty(_fired);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(["moved"], _fired);
        Assert.False(disposed.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
    }
}
