namespace ActorAuth.Actors;

/// <summary>Settings fixed for the lifetime of an <see cref="ActorSystem"/>.</summary>
public sealed record ActorSystemSettings
{
    /// <summary>The clock behind the scheduler, receive timeouts, ask timeouts and restart windows; inject a manual one in tests.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>At most this many user messages per mailbox run before the thread is yielded to other actors; must be positive.</summary>
    public int Throughput { get; init; } = 30;

    /// <summary>Called with every kernel diagnostic (also published on the event stream), on the thread that raised it; must not throw.</summary>
    public Action<LogEvent>? Log { get; init; }
}
