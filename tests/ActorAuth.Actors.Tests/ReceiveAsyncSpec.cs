using ActorAuth.Actors;

namespace ActorAuth.Actors.Tests;

public sealed class ReceiveAsyncSpec : TestKit.TestKit
{
    [Fact]
    public void ReceiveAsync_holds_later_messages_until_its_task_completes()
    {
        var gate = new TaskCompletionSource();
        var actor = Sys.ActorOf(Props.Create(() => new Gated(TestActor, gate.Task)));

        actor.Tell("slow");
        ExpectMsg("start:slow");
        actor.Tell("fast");
        ExpectNoMsg(TimeSpan.FromMilliseconds(100)); // "fast" must wait for the gate
        gate.SetResult();

        ExpectMsg("end:slow");
        ExpectMsg("got:fast");
    }

    [Fact]
    public void Code_after_an_await_runs_in_the_actor_with_the_original_sender()
    {
        var actor = Sys.ActorOf(Props.Create<YieldingReplier>());

        actor.Tell("hello", TestActor);

        ExpectMsg("after await: hello");
        Assert.Same(actor, LastSender);
    }

    [Fact]
    public void A_faulted_task_is_a_failure_of_the_actor()
    {
        var failing = Sys.ActorOf(Props.Create(() => new FailsAfterAwait(TestActor)));

        failing.Tell("go");

        ExpectMsg("restarted after: async boom");
    }

    private sealed class Gated : ReceiveActor
    {
        public Gated(IActorRef reporter, Task gate)
        {
            ReceiveAsync<string>(
                async s =>
                {
                    reporter.Tell("start:" + s);
                    await gate;
                    reporter.Tell("end:" + s);
                },
                s => s == "slow");
            Receive<string>(s => reporter.Tell("got:" + s));
        }
    }

    private sealed class YieldingReplier : ReceiveActor
    {
        public YieldingReplier() =>
            ReceiveAsync<string>(async s =>
            {
                await Task.Yield();
                Sender.Tell("after await: " + s, Self);
            });
    }

    private sealed class FailsAfterAwait : ReceiveActor
    {
        private readonly IActorRef _reporter;

        public FailsAfterAwait(IActorRef reporter)
        {
            _reporter = reporter;
            ReceiveAsync<string>(async _ =>
            {
                await Task.Yield();
                throw new InvalidOperationException("async boom");
            });
        }

        protected override void PostRestart(Exception reason) => _reporter.Tell("restarted after: " + reason.Message);
    }
}
