using System.Collections.Concurrent;
using System.Diagnostics;
using ActorAuth.Actors;
using Xunit.Sdk;

namespace ActorAuth.TestKit;

/// <summary>
/// An actor the test thread drives: it queues every message it receives, and the Expect methods take them off in
/// order, blocking (on the real clock) at most the given timeout. A failed expectation throws an xunit assertion
/// failure saying what was expected, what arrived instead and after how long.
/// </summary>
public sealed class TestProbe
{
    /// <summary>How long an Expect waits for a message that has not arrived yet, unless told otherwise.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(3);

    private readonly BlockingCollection<(object Message, IActorRef Sender)> _received = [];
    private object? _lastMessage;

    internal TestProbe(ActorSystem system, string? name)
    {
        Ref = system.ActorOf(Props.Create(() => new ProbeActor(this)), name);
        LastSender = system.DeadLetters;
    }

    /// <summary>The probe's actor; give it to the code under test.</summary>
    public IActorRef Ref { get; }

    /// <summary>The sender of the message most recently taken by an Expect.</summary>
    public IActorRef LastSender { get; private set; }

    /// <summary>Tells <paramref name="message"/> to <paramref name="target"/> with this probe as sender.</summary>
    public void Send(IActorRef target, object message) => target.Tell(message, Ref);

    /// <summary>Tells <paramref name="message"/> to <see cref="LastSender"/> with this probe as sender.</summary>
    public void Reply(object message) => LastSender.Tell(message, Ref);

    /// <summary>Tells the last expected message to <paramref name="target"/>, keeping its original sender.</summary>
    public void Forward(IActorRef target) =>
        target.Tell(_lastMessage ?? throw new InvalidOperationException("No message has been expected yet."), LastSender);

    /// <summary>Makes the probe receive <see cref="Terminated"/> when <paramref name="subject"/> stops (at once if it has).</summary>
    public IActorRef Watch(IActorRef subject)
    {
        Ref.Tell(new ProbeActor.WatchRequest(subject));
        return subject;
    }

    /// <summary>Takes the next message, which must be a <typeparamref name="T"/>.</summary>
    public T ExpectMsg<T>(TimeSpan? timeout = null) => ExpectMsg<T>(static _ => true, "any", timeout);

    /// <summary>Takes the next message, which must equal <paramref name="expected"/>.</summary>
    public T ExpectMsg<T>(T expected, TimeSpan? timeout = null) =>
        ExpectMsg<T>(m => EqualityComparer<T>.Default.Equals(m, expected), $"equal to {expected}", timeout);

    /// <summary>Takes the next message, which must be a <typeparamref name="T"/> satisfying <paramref name="predicate"/>.</summary>
    public T ExpectMsg<T>(Predicate<T> predicate, TimeSpan? timeout = null) => ExpectMsg(predicate, "matching the predicate", timeout);

    /// <summary>Takes the next message, which must be the <see cref="Terminated"/> of <paramref name="subject"/> (watch it first).</summary>
    public Terminated ExpectTerminated(IActorRef subject, TimeSpan? timeout = null) =>
        ExpectMsg<Terminated>(t => ReferenceEquals(t.ActorRef, subject), $"for {subject.Path}", timeout);

    /// <summary>Asserts that no message arrives within <paramref name="duration"/> (real time; keep it short).</summary>
    public void ExpectNoMsg(TimeSpan duration)
    {
        var clock = Stopwatch.StartNew();
        if (_received.TryTake(out var item, duration))
        {
            throw new XunitException(
                $"Expected no message for {duration.TotalMilliseconds:0} ms, but got {Describe(item.Message)} from {item.Sender.Path} after {clock.ElapsedMilliseconds} ms.");
        }
    }

    internal void Enqueue(object message, IActorRef sender) => _received.Add((message, sender));

    private static string Describe(object message) => $"{message.GetType().Name} '{message}'";

    private T ExpectMsg<T>(Predicate<T> predicate, string condition, TimeSpan? timeout)
    {
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        if (!_received.TryTake(out var item, limit))
        {
            throw new XunitException($"Expected a {typeof(T).Name} ({condition}) within {limit.TotalMilliseconds:0} ms, but nothing arrived.");
        }

        if (item.Message is not T typed || !predicate(typed))
        {
            throw new XunitException(
                $"Expected a {typeof(T).Name} ({condition}), but got {Describe(item.Message)} from {item.Sender.Path} after {clock.ElapsedMilliseconds} ms.");
        }

        _lastMessage = item.Message;
        LastSender = item.Sender;
        return typed;
    }
}
