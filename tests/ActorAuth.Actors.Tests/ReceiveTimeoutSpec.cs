using ActorAuth.Actors;
using ActorAuth.TestKit;

namespace ActorAuth.Actors.Tests;

// The timer fires synchronously inside Time.Advance and enqueues ReceiveTimeout before anything told afterwards,
// so "Quiet is acknowledged first" proves no ReceiveTimeout fired, without waiting on the real clock.
public sealed class ReceiveTimeoutSpec() : TestKit.TestKit(new ManualTimeProvider())
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    [Fact]
    public void ReceiveTimeout_fires_once_the_timeout_of_virtual_time_has_elapsed()
    {
        var actor = StartTimeoutActor();

        Time.Advance(Timeout - TimeSpan.FromMilliseconds(1));
        actor.Tell(Quiet.Instance, TestActor);
        ExpectMsg("quiet");
        Time.Advance(TimeSpan.FromMilliseconds(1));

        ExpectMsg<ReceiveTimeout>();
    }

    [Fact]
    public void ReceiveTimeout_repeats_while_the_actor_stays_idle()
    {
        StartTimeoutActor();

        Time.Advance(Timeout);
        ExpectMsg<ReceiveTimeout>();
        Time.Advance(Timeout);

        ExpectMsg<ReceiveTimeout>();
    }

    [Fact]
    public void A_received_message_resets_the_receive_timeout()
    {
        var actor = StartTimeoutActor();

        Time.Advance(TimeSpan.FromMilliseconds(600));
        actor.Tell("tick", TestActor);
        ExpectMsg("tick");
        Time.Advance(TimeSpan.FromMilliseconds(600));
        actor.Tell(Quiet.Instance, TestActor);
        ExpectMsg("quiet");
        Time.Advance(TimeSpan.FromMilliseconds(400));

        ExpectMsg<ReceiveTimeout>();
    }

    [Fact]
    public void An_INotInfluenceReceiveTimeout_message_does_not_reset_the_receive_timeout()
    {
        var actor = StartTimeoutActor();

        Time.Advance(TimeSpan.FromMilliseconds(600));
        actor.Tell(Quiet.Instance, TestActor);
        ExpectMsg("quiet");
        Time.Advance(TimeSpan.FromMilliseconds(400));

        ExpectMsg<ReceiveTimeout>();
    }

    [Fact]
    public void SetReceiveTimeout_null_cancels_the_receive_timeout()
    {
        var actor = StartTimeoutActor();

        actor.Tell("cancel", TestActor);
        ExpectMsg("cancel");
        Time.Advance(Timeout * 5);
        actor.Tell(Quiet.Instance, TestActor);

        ExpectMsg("quiet");
    }

    [Fact]
    public void Cancel_ReceiveTimeout_when_terminated()
    {
        // Akka.NET bug #469: a stopped actor kept its timer, producing DeadLetter(ReceiveTimeout).
        var deadLetters = CreateTestProbe();
        Sys.EventStream.Subscribe<DeadLetter>(deadLetters.Ref);
        var actor = StartTimeoutActor();
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor);

        Time.Advance(Timeout * 5);
        actor.Tell("marker");

        Assert.Equal("marker", deadLetters.ExpectMsg<DeadLetter>().Message);
    }

    private IActorRef StartTimeoutActor()
    {
        var actor = Sys.ActorOf(Props.Create(() => new TimeoutActor(TestActor, Timeout)));
        ExpectMsg("ready"); // sent from PreStart, after the constructor armed the timer
        return actor;
    }

    private sealed class Quiet : INotInfluenceReceiveTimeout
    {
        public static readonly Quiet Instance = new();
    }

    private sealed class TimeoutActor : ReceiveActor
    {
        private readonly IActorRef _reporter;

        public TimeoutActor(IActorRef reporter, TimeSpan timeout)
        {
            _reporter = reporter;
            Context.SetReceiveTimeout(timeout);
            Receive<ReceiveTimeout>(t => reporter.Tell(t));
            Receive<Quiet>(_ => Sender.Tell("quiet"));
            Receive<string>(
                s =>
                {
                    Context.SetReceiveTimeout(null);
                    Sender.Tell(s);
                },
                s => s == "cancel");
            Receive<string>(s => Sender.Tell(s));
        }

        protected override void PreStart() => _reporter.Tell("ready");
    }
}
