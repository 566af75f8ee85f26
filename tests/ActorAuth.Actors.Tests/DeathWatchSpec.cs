using ActorAuth.Actors;

namespace ActorAuth.Actors.Tests;

public sealed class DeathWatchSpec : TestKit.TestKit
{
    [Fact]
    public void Watch_delivers_Terminated_when_the_watched_actor_stops()
    {
        var echo = Sys.ActorOf(Props.Create<Echo>());
        Watch(echo);

        Sys.Stop(echo);

        Assert.Same(echo, ExpectTerminated(echo).ActorRef);
    }

    [Fact]
    public void Watching_an_already_stopped_actor_delivers_Terminated_at_once()
    {
        var echo = Sys.ActorOf(Props.Create<Echo>());
        Watch(echo);
        Sys.Stop(echo);
        ExpectTerminated(echo);
        var late = CreateTestProbe();

        late.Watch(echo);

        late.ExpectTerminated(echo);
    }

    [Fact]
    public void An_unhandled_Terminated_stops_the_watcher_with_a_death_pact()
    {
        var echo = Sys.ActorOf(Props.Create<Echo>());
        var watcher = Sys.ActorOf(Props.Create(() => new WatchesWithoutHandling(echo, TestActor)));
        ExpectMsg("watching");
        Watch(watcher);

        Sys.Stop(echo);

        ExpectTerminated(watcher);
    }

    [Fact]
    public void Terminated_arrives_after_the_last_message_the_dead_actor_sent()
    {
        var echo = Sys.ActorOf(Props.Create<Echo>());
        Watch(echo);

        echo.Tell("last words", TestActor);
        echo.Tell(PoisonPill.Instance);

        ExpectMsg("last words");
        ExpectTerminated(echo);
    }

    private sealed class WatchesWithoutHandling : ReceiveActor
    {
        private readonly IActorRef _reporter;

        public WatchesWithoutHandling(IActorRef subject, IActorRef reporter)
        {
            _reporter = reporter;
            Context.Watch(subject);
            Receive<string>(_ => { });
        }

        protected override void PreStart() => _reporter.Tell("watching");
    }
}
