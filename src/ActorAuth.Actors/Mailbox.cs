namespace ActorAuth.Actors;

/// <summary>
/// An actor's two queues and the run that drains them on the .NET thread pool. Rules:
/// <list type="bullet">
/// <item>At most one run at a time (the <c>_scheduled</c> flag), so an actor processes one message at a time.</item>
/// <item>System messages drain before each user message; user messages wait while the actor is suspended.</item>
/// <item>A run handles at most <see cref="ActorSystemSettings.Throughput"/> user messages, then yields the thread.</item>
/// <item>Once the actor has stopped, remaining and later user messages become dead letters.</item>
/// </list>
/// Queues: user messages use an intrusive Vyukov MPSC queue (one wait-free exchange per enqueue, no lock),
/// system messages a Treiber stack reversed on drain (they are rare). Not System.Threading.Channels: an unbounded
/// channel takes a lock on every write and costs ~1.4 KiB once used (measured over 100k channels), over the whole
/// 1 KiB budget of an idle actor; this mailbox with its stub node is ~100 bytes.
/// </summary>
internal sealed class Mailbox : IThreadPoolWorkItem
{
    private readonly ActorCell _cell;
    private Envelope _head; // consumer-owned stub; the next message is _head.Next
    private Envelope _tail; // last enqueued node; producers swap it
    private SystemMessage? _systemStack; // newest first
    private int _scheduled;

    internal Mailbox(ActorCell cell)
    {
        _cell = cell;
        _head = _tail = new Envelope(null, null);
    }

    /// <summary>Enqueue a user message (any thread).</summary>
    internal void Post(object message, IActorRef? sender)
    {
        var node = new Envelope(message, sender);
        var previous = Interlocked.Exchange(ref _tail, node);
        // Between the exchange and this link the consumer sees an empty queue; TrySchedule below re-runs it.
        Volatile.Write(ref previous.Next, node);
        TrySchedule();
    }

    /// <summary>Enqueue a system message (any thread).</summary>
    internal void PostSystem(SystemMessage message)
    {
        SystemMessage? head;
        do
        {
            head = Volatile.Read(ref _systemStack);
            message.Next = head;
        }
        while (Interlocked.CompareExchange(ref _systemStack, message, head) != head);

        TrySchedule();
    }

    /// <summary>Whether a user message is waiting; meaningful on the mailbox's own run only.</summary>
    internal bool HasUserMessages => Volatile.Read(ref _head.Next) is not null;

    /// <summary>The mailbox run.</summary>
    public void Execute()
    {
        try
        {
            ProcessSystemMessages();
            ProcessUserMessages();
        }
        finally
        {
            // Full fence, then re-check: a producer that saw "scheduled" before this reset must not be lost.
            Interlocked.Exchange(ref _scheduled, 0);
            if (Volatile.Read(ref _systemStack) is not null || (HasUserMessages && (!_cell.IsSuspended || _cell.IsTerminated)))
            {
                TrySchedule();
            }
        }
    }

    private void TrySchedule()
    {
        if (Interlocked.CompareExchange(ref _scheduled, 1, 0) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    private void ProcessUserMessages()
    {
        for (var left = _cell.System.Settings.Throughput; left > 0; left--)
        {
            if (_cell.IsTerminated)
            {
                while (TryDequeue(out var lost, out var lostSender))
                {
                    _cell.SendToDeadLetters(lost, lostSender);
                }

                return;
            }

            if (_cell.IsSuspended || !TryDequeue(out var message, out var sender))
            {
                return;
            }

            _cell.Invoke(message, sender);
            ProcessSystemMessages();
        }
    }

    private bool TryDequeue(out object message, out IActorRef? sender)
    {
        var next = Volatile.Read(ref _head.Next);
        if (next is null)
        {
            message = null!;
            sender = null;
            return false;
        }

        message = next.Message!;
        sender = next.Sender;
        // The dequeued node becomes the new stub; clear it so the message can be collected.
        next.Message = null;
        next.Sender = null;
        _head = next;
        return true;
    }

    private void ProcessSystemMessages()
    {
        while (Volatile.Read(ref _systemStack) is not null)
        {
            var stack = Interlocked.Exchange(ref _systemStack, null);
            SystemMessage? fifo = null;
            while (stack is not null)
            {
                var next = stack.Next;
                stack.Next = fifo;
                fifo = stack;
                stack = next;
            }

            while (fifo is not null)
            {
                var message = fifo;
                fifo = fifo.Next;
                message.Next = null;
                _cell.SystemInvoke(message);
            }
        }
    }
}
