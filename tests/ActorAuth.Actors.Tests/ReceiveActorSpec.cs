using ActorAuth.Actors;

namespace ActorAuth.Actors.Tests;

public sealed class ReceiveActorSpec : TestKit.TestKit
{
    [Fact]
    public void Become_replaces_the_whole_handler_set()
    {
        var actor = Sys.ActorOf(Props.Create<Swapper>());

        actor.Tell("x", TestActor);
        ExpectMsg("A:x");
        actor.Tell("swap", TestActor);
        actor.Tell("x", TestActor);
        ExpectMsg("B:x");
        actor.Tell("swap", TestActor); // the old "swap" handler is gone too
        ExpectMsg("B:swap");
    }

    [Fact]
    public void The_first_registered_matching_handler_wins()
    {
        var actor = Sys.ActorOf(Props.Create<Classifier>());

        actor.Tell(3, TestActor);
        ExpectMsg("small");
        actor.Tell(30, TestActor); // rejected by the first predicate, falls through
        ExpectMsg("large");
        actor.Tell("text", TestActor); // object handler registered before the string one
        ExpectMsg("object");
    }

    [Fact]
    public void An_unhandled_message_is_published_as_UnhandledMessage()
    {
        Sys.EventStream.Subscribe<UnhandledMessage>(TestActor);
        var actor = Sys.ActorOf(Props.Create<Classifier>());

        actor.Tell(2.5, TestActor);

        var unhandled = ExpectMsg<UnhandledMessage>();
        Assert.Equal(2.5, unhandled.Message);
        Assert.Same(actor, unhandled.Recipient);
        Assert.Same(TestActor, unhandled.Sender);
    }

    private sealed class Swapper : ReceiveActor
    {
        public Swapper()
        {
            Receive<string>(_ => Become(() => Receive<string>(s => Sender.Tell("B:" + s))), s => s == "swap");
            Receive<string>(s => Sender.Tell("A:" + s));
        }
    }

    private sealed class Classifier : ReceiveActor
    {
        public Classifier()
        {
            Receive<int>(_ => Sender.Tell("small"), i => i < 10);
            Receive<int>(_ => Sender.Tell("large"));
            Receive<string>(_ => Sender.Tell("object"), _ => false);
            Receive<object>(_ => Sender.Tell("object"), m => m is string);
            Receive<string>(_ => Sender.Tell("string"));
        }
    }
}
