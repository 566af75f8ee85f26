using ActorAuth.Actors;

namespace ActorAuth.TestKit;

/// <summary>The actor behind a <see cref="TestProbe"/>: queues everything it receives for the test thread.</summary>
internal sealed class ProbeActor(TestProbe probe) : ActorBase
{
    protected override bool Receive(object message)
    {
        if (message is WatchRequest request)
        {
            Context.Watch(request.Subject);
        }
        else
        {
            probe.Enqueue(message, Sender);
        }

        return true;
    }

    /// <summary>Asks the probe actor to watch <see cref="Subject"/>; never surfaces to the test.</summary>
    internal sealed record WatchRequest(IActorRef Subject);
}
