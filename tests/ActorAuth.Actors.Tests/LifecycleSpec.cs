using System.Collections.Concurrent;
using ActorAuth.Actors;

namespace ActorAuth.Actors.Tests;

public sealed class LifecycleSpec : TestKit.TestKit
{
    [Fact]
    public void Stopping_a_parent_stops_its_children_before_its_own_PostStop()
    {
        var log = new ConcurrentQueue<string>();
        var parent = Sys.ActorOf(Props.Create(() => new LoggingNode("parent", log, "a", "b")));
        Watch(parent);

        Sys.Stop(parent);

        ExpectTerminated(parent);
        Assert.Equal(["poststop:a", "poststop:b"], log.Take(2).Order());
        Assert.Equal("poststop:parent", log.Last());
        Assert.Equal(3, log.Count);
    }

    [Fact]
    public async Task Terminate_runs_every_PostStop_children_first()
    {
        var log = new ConcurrentQueue<string>();
        Sys.ActorOf(Props.Create(() => new LoggingNode("one", log, "one-a")));
        Sys.ActorOf(Props.Create(() => new LoggingNode("two", log, "two-a", "two-b")));

        await Sys.Terminate().WaitAsync(TimeSpan.FromSeconds(3));

        var order = log.ToList();
        Assert.Equal(["poststop:one", "poststop:one-a", "poststop:two", "poststop:two-a", "poststop:two-b"], order.Order());
        Assert.True(order.IndexOf("poststop:one-a") < order.IndexOf("poststop:one"));
        Assert.True(order.IndexOf("poststop:two-a") < order.IndexOf("poststop:two"));
        Assert.True(order.IndexOf("poststop:two-b") < order.IndexOf("poststop:two"));
    }

    [Fact]
    public void PoisonPill_stops_the_actor_after_the_messages_queued_before_it()
    {
        var deadLetters = CreateTestProbe();
        Sys.EventStream.Subscribe<DeadLetter>(deadLetters.Ref);
        var echo = Sys.ActorOf(Props.Create<Echo>());
        Watch(echo);

        echo.Tell(1, TestActor);
        echo.Tell(2, TestActor);
        echo.Tell(PoisonPill.Instance, TestActor);
        echo.Tell(3, TestActor);

        ExpectMsg(1);
        ExpectMsg(2);
        ExpectTerminated(echo);
        Assert.Equal(3, deadLetters.ExpectMsg<DeadLetter>().Message);
    }

    [Fact]
    public void Context_Stop_of_Self_finishes_the_current_message_first()
    {
        var actor = Sys.ActorOf(Props.Create<StopsItself>());
        Watch(actor);

        actor.Tell("stop", TestActor);

        ExpectMsg("still running");
        ExpectTerminated(actor);
    }

    [Fact]
    public void A_child_name_is_taken_until_that_child_has_terminated()
    {
        var first = Sys.ActorOf(Props.Create<Echo>(), "unique");
        Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(Props.Create<Echo>(), "unique"));
        Watch(first);

        Sys.Stop(first);
        ExpectTerminated(first);

        var second = Sys.ActorOf(Props.Create<Echo>(), "unique");
        Assert.Equal("akka://test/user/unique", second.Path.ToString());
        Assert.NotSame(first, second);
    }

    private sealed class StopsItself : ReceiveActor
    {
        public StopsItself() =>
            Receive<string>(_ =>
            {
                Context.Stop(Self);
                Sender.Tell("still running");
            });
    }
}
