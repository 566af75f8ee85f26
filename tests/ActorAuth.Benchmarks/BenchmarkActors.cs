using Akka.Actor;

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

/// <summary>
/// The shape of the server's per-connection actor: made with two constructor arguments, takes
/// <paramref name="tokens"/> messages (a handshake's tokens, the close), stops itself after the last and signals the
/// countdown once stopped.
/// </summary>
internal sealed class ConnectionActor(int tokens, Countdown stopped) : ActorBase
{
    private int _left = tokens;

    protected override bool Receive(object message)
    {
        if (--_left == 0)
        {
            Context.Stop(Self);
        }

        return true;
    }

    protected override void PostStop() => stopped.Signal();
}

/// <summary>
/// What the server's supervisor receives per connection; the expression form reads its properties, as the server
/// does with <c>accepted.Connection</c> (a member of a member, which Akka evaluates by compiling it).
/// </summary>
internal sealed record Accepted(int Tokens, Countdown Stopped);

/// <summary>Makes a <see cref="ConnectionActor"/> with a plain constructor call: no reflection, no expression tree.</summary>
internal sealed class ConnectionActorProducer(Accepted accepted) : IIndirectActorProducer
{
    public Type ActorType => typeof(ConnectionActor);

    public ActorBase Produce() => new ConnectionActor(accepted.Tokens, accepted.Stopped);

    public void Release(ActorBase actor)
    {
        // Nothing to release: the actor holds nothing of the producer's.
    }
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
