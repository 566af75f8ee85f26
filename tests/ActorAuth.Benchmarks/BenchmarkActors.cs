using ActorAuth.Actors;

namespace ActorAuth.Benchmarks;

/// <summary>Counts messages and completes <see cref="Done"/> at the expected number.</summary>
internal sealed class CountingActor : ActorBase
{
    private readonly int _expected;
    private readonly TaskCompletionSource _done;
    private int _count;

    public CountingActor(int expected, TaskCompletionSource done)
    {
        _expected = expected;
        _done = done;
    }

    protected override bool Receive(object message)
    {
        if (++_count == _expected)
        {
            _done.TrySetResult();
        }

        return true;
    }
}

/// <summary>Answers every message to its sender.</summary>
internal sealed class PongActor : ActorBase
{
    protected override bool Receive(object message)
    {
        Sender.Tell(message, Self);
        return true;
    }
}

/// <summary>Sends a ball to its partner and back <c>rounds</c> times, then signals the shared countdown.</summary>
internal sealed class PingActor(int rounds, Countdown countdown) : ActorBase
{
    private int _left = rounds;

    protected override bool Receive(object message)
    {
        if (message is IActorRef partner)
        {
            partner.Tell(Ball.Instance, Self);
        }
        else if (--_left > 0)
        {
            Sender.Tell(message, Self);
        }
        else
        {
            countdown.Signal();
        }

        return true;
    }
}

/// <summary>An actor that does nothing but count its start (for the idle-actor memory figure).</summary>
internal sealed class IdleActor(Countdown started) : ActorBase
{
    protected override void PreStart() => started.Signal();

    protected override bool Receive(object message) => true;
}

/// <summary>The one message object the benchmarks send (no allocation per message).</summary>
internal sealed class Ball
{
    public static readonly Ball Instance = new();
}

/// <summary>A countdown whose task completes at zero.</summary>
internal sealed class Countdown(int count)
{
    private readonly TaskCompletionSource _zero = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _count = count;

    public Task Zero => _zero.Task;

    public void Signal()
    {
        if (Interlocked.Decrement(ref _count) == 0)
        {
            _zero.TrySetResult();
        }
    }
}
