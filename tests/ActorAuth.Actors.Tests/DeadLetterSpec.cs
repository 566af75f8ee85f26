using ActorAuth.Actors;

namespace ActorAuth.Actors.Tests;

public sealed class DeadLetterSpec : TestKit.TestKit
{
    [Fact]
    public void A_message_to_a_stopped_actor_is_published_as_a_DeadLetter()
    {
        var deadLetters = CreateTestProbe();
        Sys.EventStream.Subscribe<DeadLetter>(deadLetters.Ref);
        var echo = Sys.ActorOf(Props.Create<Echo>());
        Watch(echo);
        Sys.Stop(echo);
        ExpectTerminated(echo);

        echo.Tell("too late", TestActor);

        var letter = deadLetters.ExpectMsg<DeadLetter>();
        Assert.Equal("too late", letter.Message);
        Assert.Same(TestActor, letter.Sender);
        Assert.Same(echo, letter.Recipient);
    }

    [Fact]
    public void A_message_to_DeadLetters_is_published_as_a_DeadLetter()
    {
        Sys.EventStream.Subscribe<DeadLetter>(TestActor);

        Sys.DeadLetters.Tell("nowhere");

        Assert.Equal("nowhere", ExpectMsg<DeadLetter>().Message);
    }
}
