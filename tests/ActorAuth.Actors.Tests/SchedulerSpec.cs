using ActorAuth.TestKit;

namespace ActorAuth.Actors.Tests;

// Timers fire synchronously inside Time.Advance, so a marker told afterwards arrives after anything they told.
public sealed class SchedulerSpec() : TestKit.TestKit(new ManualTimeProvider())
{
    [Fact]
    public void ScheduleTellOnce_delivers_when_virtual_time_reaches_the_delay()
    {
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(1), TestActor, "hi");

        Time.Advance(TimeSpan.FromMilliseconds(999));
        TestActor.Tell("marker");
        ExpectMsg("marker");
        Time.Advance(TimeSpan.FromMilliseconds(1));

        ExpectMsg("hi");
    }

    [Fact]
    public void Cancel_prevents_a_scheduled_delivery()
    {
        var scheduled = Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(1), TestActor, "hi");

        scheduled.Cancel();
        Time.Advance(TimeSpan.FromSeconds(5));
        TestActor.Tell("marker");

        ExpectMsg("marker");
        Assert.True(scheduled.IsCancellationRequested);
    }

    [Fact]
    public void ScheduleTellRepeatedly_delivers_every_interval_until_cancelled()
    {
        var scheduled = Sys.Scheduler.ScheduleTellRepeatedly(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TestActor, "tick");

        Time.Advance(TimeSpan.FromMilliseconds(500));
        ExpectMsg("tick");
        Time.Advance(TimeSpan.FromSeconds(2));
        ExpectMsg("tick");
        ExpectMsg("tick");
        scheduled.Cancel();
        Time.Advance(TimeSpan.FromSeconds(5));
        TestActor.Tell("marker");

        ExpectMsg("marker");
    }
}
