using ActorAuth.Actors;
using ActorAuth.TestKit;

namespace ActorAuth.Actors.Tests;

public sealed class AskSpec() : TestKit.TestKit(new ManualTimeProvider())
{
    [Fact]
    public async Task Ask_returns_the_reply()
    {
        var echo = Sys.ActorOf(Props.Create<Echo>());

        var reply = await echo.Ask<string>("ping", TimeSpan.FromSeconds(3));

        Assert.Equal("ping", reply);
    }

    [Fact]
    public async Task Ask_times_out_with_AskTimeoutException_when_virtual_time_passes_the_timeout()
    {
        var silent = Sys.ActorOf(Props.Create<Silent>());

        var reply = silent.Ask<string>("anyone?", TimeSpan.FromSeconds(5));
        Time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(reply.IsCompleted);
        Time.Advance(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<AskTimeoutException>(() => reply);
    }

    [Fact]
    public async Task A_Status_Failure_reply_faults_the_ask_with_its_cause()
    {
        var echo = Sys.ActorOf(Props.Create<Echo>());
        var cause = new InvalidOperationException("refused");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => echo.Ask<string>(new Status.Failure(cause), TimeSpan.FromSeconds(3)));

        Assert.Same(cause, error);
    }
}
