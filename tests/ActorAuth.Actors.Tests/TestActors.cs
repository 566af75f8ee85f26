using ActorAuth.Actors;

namespace ActorAuth.Actors.Tests;

/// <summary>Replies to every message with the message itself.</summary>
internal sealed class Echo : ReceiveActor
{
    public Echo() => ReceiveAny(message => Sender.Tell(message, Self));
}

/// <summary>Handles nothing it is sent, so asks to it time out.</summary>
internal sealed class Silent : ReceiveActor
{
    public Silent() => ReceiveAny(_ => { });
}

/// <summary>Creates a child from each <see cref="Props"/> it receives and replies with the child's ref; supervises with its props' strategy.</summary>
internal sealed class Supervisor : ReceiveActor
{
    public Supervisor() => Receive<Props>(props => Sender.Tell(Context.ActorOf(props)));
}

/// <summary>
/// A counter that reports its lifecycle to <c>reporter</c>: "inc" increments, "get" replies with the count,
/// an <see cref="Exception"/> message is thrown.
/// </summary>
internal sealed class Counter : ReceiveActor
{
    private readonly IActorRef _reporter;
    private int _count;

    public Counter(IActorRef reporter)
    {
        _reporter = reporter;
        Receive<string>(_ => _count++, s => s == "inc");
        Receive<string>(_ => Sender.Tell(_count), s => s == "get");
        Receive<Exception>(e => throw e);
    }

    protected override void PreStart() => _reporter.Tell("prestart");

    protected override void PostStop() => _reporter.Tell("poststop");

    protected override void PreRestart(Exception reason, object? message)
    {
        _reporter.Tell("prerestart:" + reason.Message);
        base.PreRestart(reason, message);
    }

    protected override void PostRestart(Exception reason)
    {
        _reporter.Tell("postrestart");
        base.PostRestart(reason);
    }
}

/// <summary>Appends "poststop:{name}" to a shared log when it stops; creates the named children in its constructor.</summary>
internal sealed class LoggingNode : ReceiveActor
{
    private readonly string _name;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _log;

    public LoggingNode(string name, System.Collections.Concurrent.ConcurrentQueue<string> log, params string[] children)
    {
        _name = name;
        _log = log;
        foreach (var child in children)
        {
            Context.ActorOf(Props.Create(() => new LoggingNode(child, log)), child);
        }
    }

    protected override void PostStop() => _log.Enqueue("poststop:" + _name);
}
