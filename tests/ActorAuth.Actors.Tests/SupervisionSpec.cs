using ActorAuth.Actors;
using ActorAuth.TestKit;

namespace ActorAuth.Actors.Tests;

public sealed class SupervisionSpec : TestKit.TestKit
{
    private readonly TestProbe _lifecycle;

    public SupervisionSpec()
        : base(new ManualTimeProvider())
    {
        _lifecycle = CreateTestProbe("lifecycle");
    }

    [Fact]
    public void Resume_keeps_the_instance_and_its_state()
    {
        var child = CreateCounterUnder(new OneForOneStrategy(_ => Directive.Resume));

        child.Tell("inc");
        child.Tell("inc");
        child.Tell(new InvalidOperationException("boom"));
        child.Tell("inc");
        child.Tell("get", TestActor);

        ExpectMsg(3);
    }

    [Fact]
    public void Restart_makes_a_fresh_instance_calling_PreRestart_then_PostRestart()
    {
        var child = CreateCounterUnder(new OneForOneStrategy(_ => Directive.Restart));

        child.Tell("inc");
        child.Tell(new InvalidOperationException("boom"));
        child.Tell("get", TestActor);

        _lifecycle.ExpectMsg("prerestart:boom");
        _lifecycle.ExpectMsg("poststop"); // default PreRestart
        _lifecycle.ExpectMsg("postrestart");
        _lifecycle.ExpectMsg("prestart"); // default PostRestart
        ExpectMsg(0); // the failing message is not retried and the count starts over
    }

    [Fact]
    public void Stop_stops_the_child_and_runs_its_PostStop()
    {
        var child = CreateCounterUnder(SupervisorStrategy.StoppingStrategy);
        Watch(child);

        child.Tell(new InvalidOperationException("boom"));

        _lifecycle.ExpectMsg("poststop");
        ExpectTerminated(child);
    }

    [Fact]
    public void Escalate_fails_the_parent_and_the_grandparent_decides()
    {
        var errors = CreateTestProbe();
        Sys.EventStream.Subscribe<Error>(errors.Ref);
        var grandparent = Sys.ActorOf(Props.Create<Supervisor>().WithSupervisorStrategy(SupervisorStrategy.StoppingStrategy));
        grandparent.Tell(Props.Create<Supervisor>().WithSupervisorStrategy(new OneForOneStrategy(_ => Directive.Escalate)), TestActor);
        var parent = ExpectMsg<IActorRef>();
        parent.Tell(Props.Create(() => new Counter(_lifecycle.Ref)), TestActor);
        var child = ExpectMsg<IActorRef>();
        _lifecycle.ExpectMsg("prestart");
        Watch(child);
        Watch(parent);
        var cause = new InvalidOperationException("boom");

        child.Tell(cause);

        var error = errors.ExpectMsg<Error>();
        Assert.Same(parent, error.Source);
        Assert.Same(cause, error.Cause);
        _lifecycle.ExpectMsg("poststop");
        ExpectTerminated(child);
        ExpectTerminated(parent);
    }

    [Fact]
    public void Exceeding_the_restart_budget_stops_the_child()
    {
        var child = CreateCounterUnder(new OneForOneStrategy(2, TimeSpan.FromMinutes(1), _ => Directive.Restart));
        Watch(child);

        for (var i = 1; i <= 3; i++)
        {
            child.Tell(new InvalidOperationException("boom" + i));
        }

        for (var i = 1; i <= 2; i++)
        {
            _lifecycle.ExpectMsg("prerestart:boom" + i);
            _lifecycle.ExpectMsg("poststop");
            _lifecycle.ExpectMsg("postrestart");
            _lifecycle.ExpectMsg("prestart");
        }

        _lifecycle.ExpectMsg("poststop");
        ExpectTerminated(child);
    }

    [Fact]
    public void The_restart_budget_counts_only_restarts_within_the_window()
    {
        var child = CreateCounterUnder(new OneForOneStrategy(1, TimeSpan.FromMinutes(1), _ => Directive.Restart));

        child.Tell(new InvalidOperationException("first"));
        _lifecycle.ExpectMsg("prerestart:first");
        _lifecycle.ExpectMsg("poststop");
        _lifecycle.ExpectMsg("postrestart");
        _lifecycle.ExpectMsg("prestart");
        Time.Advance(TimeSpan.FromMinutes(2));
        child.Tell(new InvalidOperationException("second"));

        _lifecycle.ExpectMsg("prerestart:second");
    }

    [Fact]
    public void A_constructor_failure_stops_the_actor_with_ActorInitializationException()
    {
        var errors = CreateTestProbe();
        Sys.EventStream.Subscribe<Error>(errors.Ref);

        var actor = Sys.ActorOf(Props.Create<FailsInConstructor>());
        Watch(actor);

        ExpectTerminated(actor);
        var error = errors.ExpectMsg<Error>();
        Assert.IsType<ActorInitializationException>(error.Cause);
        Assert.Equal("no config", error.Cause.InnerException?.Message);
    }

    [Fact]
    public void Kill_fails_the_actor_and_the_default_strategy_stops_it()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Counter(_lifecycle.Ref)));
        _lifecycle.ExpectMsg("prestart");
        Watch(actor);

        actor.Tell(Kill.Instance);

        _lifecycle.ExpectMsg("poststop");
        ExpectTerminated(actor);
    }

    [Fact]
    public void Top_level_actors_are_restarted_by_the_user_guardian()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Counter(_lifecycle.Ref)));
        _lifecycle.ExpectMsg("prestart");

        actor.Tell(new InvalidOperationException("boom"));

        _lifecycle.ExpectMsg("prerestart:boom");
    }

    private IActorRef CreateCounterUnder(SupervisorStrategy strategy)
    {
        var supervisor = Sys.ActorOf(Props.Create<Supervisor>().WithSupervisorStrategy(strategy));
        supervisor.Tell(Props.Create(() => new Counter(_lifecycle.Ref)), TestActor);
        var child = ExpectMsg<IActorRef>();
        _lifecycle.ExpectMsg("prestart");
        return child;
    }

    private sealed class FailsInConstructor : ReceiveActor
    {
        public FailsInConstructor() => throw new InvalidOperationException("no config");
    }
}
