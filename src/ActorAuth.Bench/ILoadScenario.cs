namespace ActorAuth.Bench;

/// <summary>
/// What one load run connects to: ActorAuth's protocol, or the NegotiateStream baseline. The runner owns the
/// loops, the clock and the statistics; a scenario only knows how to open a session and do a round trip.
/// </summary>
public interface ILoadScenario
{
    /// <summary>Names the target in the report (<c>actorauth</c>, <c>negotiatestream</c>).</summary>
    string Name { get; }

    /// <summary>State one worker loop reuses for every session it opens (buffers, options). Called once per loop.</summary>
    ILoadWorker CreateWorker(int index);

    /// <summary>The reason code for a failure (a ClientFailure name for ActorAuth), used as the key of <c>errors</c>.</summary>
    string Classify(Exception failure);
}

/// <summary>One worker loop's reusable state. Used by one loop at a time, never concurrently.</summary>
public interface ILoadWorker : IDisposable
{
    /// <summary>
    /// Connects and authenticates (mutually; the session is ready for protected messages when this returns).
    /// Sets <see cref="ILoadSession.ConnectedAt"/> to the <see cref="System.Diagnostics.Stopwatch"/> timestamp at which the TCP connect completed.
    /// </summary>
    ValueTask<ILoadSession> OpenAsync(CancellationToken cancellationToken);
}

/// <summary>An authenticated session. Only its worker uses it.</summary>
public interface ILoadSession : IAsyncDisposable
{
    /// <summary>Stopwatch timestamp at which the TCP connection was established.</summary>
    long ConnectedAt { get; }

    /// <summary>Sends one protected request of <paramref name="message"/> and checks the protected echo.</summary>
    ValueTask RoundTripAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken);
}
