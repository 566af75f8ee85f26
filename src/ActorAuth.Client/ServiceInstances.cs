using System.Collections;
using System.Collections.Concurrent;

namespace ActorAuth.Client;

/// <summary>
/// Every instance of one service found through its SCPs (<see cref="ActorAuthClient.DiscoverAllAsync"/>), ordered by
/// host and port, and how connections are spread over them: round-robin per process and service, from a random
/// first instance. One process opening many connections gives each instance an equal share (±1); many processes
/// opening one each start at random instances, so the shares are even on average (binomial, not exact). When the
/// chosen instance fails in a way another may not (<see cref="FailsOver"/>), the connection tries the others in
/// random order — so a dead instance's share is spread over the rest rather than handed to its neighbour — and
/// the process tries an instance that failed last for <see cref="FailedInstancePeriod"/>, so a stopped or hung
/// node costs a refused connect or one timeout, not one per connection. With every instance down, every one is tried.
/// </summary>
public sealed class ServiceInstances : IReadOnlyList<DiscoveredService>
{
    /// <summary>How long the process tries an instance that failed after the others (unless it answers again first).</summary>
    public static readonly TimeSpan FailedInstancePeriod = TimeSpan.FromSeconds(10);

    // Per process and service: every ConnectDiscoveredAsync of a service shares one rotation, however often it discovers.
    private static readonly ConcurrentDictionary<string, Rotation> Rotations = new(StringComparer.OrdinalIgnoreCase);

    private readonly IReadOnlyList<DiscoveredService> _instances;
    private readonly Rotation _rotation;

    /// <summary>The instances of <paramref name="service"/> (at least one), in any order: they are sorted by host and port.</summary>
    /// <param name="service">Names the service in messages and keys its rotation, e.g. "of class 'actorauth' with keywords [GUID]".</param>
    /// <param name="instances">The instances; two with the same host and port are one.</param>
    public ServiceInstances(string service, IEnumerable<DiscoveredService> instances)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        ArgumentNullException.ThrowIfNull(instances);
        Service = service;
        _instances = [.. instances
            .DistinctBy(i => (i.Host.ToUpperInvariant(), i.Port))
            .OrderBy(i => i.Host, StringComparer.OrdinalIgnoreCase)
            .ThenBy(i => i.Port)];
        if (_instances.Count == 0)
        {
            throw new ArgumentException("A service has at least one instance.", nameof(instances));
        }

        _rotation = Rotations.GetOrAdd(service, _ => new Rotation(Random.Shared.Next()));
    }

    /// <summary>The service these are instances of, as messages name it.</summary>
    public string Service { get; }

    /// <inheritdoc />
    public int Count => _instances.Count;

    /// <inheritdoc />
    public DiscoveredService this[int index] => _instances[index];

    /// <summary>
    /// True for a failure that is the instance's and may not happen on another: it could not be reached
    /// (<see cref="ClientFailure.ConnectFailed"/>, <see cref="ClientFailure.Timeout"/>, <see cref="ClientFailure.ConnectionLost"/>),
    /// or it refused, could not prove its SPN, or broke the protocol. Not <see cref="ClientFailure.CredentialsRejected"/>:
    /// the client's own credentials fail everywhere, and retrying a wrong password on every instance only counts
    /// towards the account's lockout.
    /// </summary>
    public static bool FailsOver(ClientFailure failure) => failure is not (ClientFailure.CredentialsRejected or ClientFailure.ServiceNotFound);

    /// <summary>
    /// The instances in the order the next connection tries them: the rotation's next one among those that have not
    /// failed within <see cref="FailedInstancePeriod"/>, the others of those in random order, then the ones that
    /// failed, longest ago first.
    /// </summary>
    public IReadOnlyList<DiscoveredService> NextOrder()
    {
        long now = Environment.TickCount64;
        long period = (long)FailedInstancePeriod.TotalMilliseconds;
        bool FailedRecently(DiscoveredService i) => _rotation.FailedAt.TryGetValue(Key(i), out long at) && now - at < period;
        List<DiscoveredService> healthy = [.. _instances.Where(i => !FailedRecently(i))];
        IEnumerable<DiscoveredService> failed = _instances.Where(FailedRecently).OrderBy(i => _rotation.FailedAt.GetValueOrDefault(Key(i)));
        if (healthy.Count == 0)
        {
            return [.. failed];
        }

        int first = (int)((uint)Interlocked.Increment(ref _rotation.Counter) % (uint)healthy.Count);
        DiscoveredService[] others = [.. healthy.Where((_, index) => index != first)];
        Random.Shared.Shuffle(others);
        return [healthy[first], .. others, .. failed];
    }

    /// <summary>
    /// Runs <paramref name="connect"/> on the instances in <see cref="NextOrder"/> until one succeeds; an
    /// <see cref="ActorAuthClientException"/> that <see cref="FailsOver"/> moves on to the next instance, any other
    /// failure (and the caller's cancellation) ends it at once.
    /// </summary>
    /// <returns>The result, the instance that gave it, and the attempts that failed before it.</returns>
    /// <exception cref="ActorAuthClientException">Every instance failed: the message lists every attempt, <see cref="ActorAuthClientException.Attempts"/> holds them, and <see cref="ActorAuthClientException.Failure"/> is the last one's.</exception>
    public async Task<InstanceConnection<T>> ConnectAnyAsync<T>(Func<DiscoveredService, CancellationToken, Task<T>> connect, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connect);
        var failed = new List<InstanceAttempt>();
        foreach (DiscoveredService instance in NextOrder())
        {
            try
            {
                T value = await connect(instance, cancellationToken).ConfigureAwait(false);
                _rotation.FailedAt.TryRemove(Key(instance), out _);
                return new InstanceConnection<T>(value, instance, failed);
            }
            catch (ActorAuthClientException e) when (FailsOver(e.Failure) && !cancellationToken.IsCancellationRequested)
            {
                _rotation.FailedAt[Key(instance)] = Environment.TickCount64;
                failed.Add(new InstanceAttempt(instance, e.Failure, e.Message));
            }
        }

        throw new ActorAuthClientException(
            failed[^1].Failure,
            $"No instance of the service {Service} answered; tried {failed.Count}: {string.Join("; ", failed)}")
        {
            Attempts = failed,
        };
    }

    /// <inheritdoc />
    public IEnumerator<DiscoveredService> GetEnumerator() => _instances.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static string Key(DiscoveredService instance) => $"{instance.Host.ToUpperInvariant()}:{instance.Port}";

    /// <summary>A service's rotation counter and when each of its instances last failed (<see cref="Environment.TickCount64"/>), shared by the process.</summary>
    private sealed class Rotation(int start)
    {
        public int Counter = start;

        public ConcurrentDictionary<string, long> FailedAt { get; } = new(StringComparer.Ordinal);
    }
}

/// <summary>One instance a connection tried that failed, and why.</summary>
/// <param name="Instance">The instance tried.</param>
/// <param name="Failure">Why it failed.</param>
/// <param name="Message">The failure's sentence.</param>
public sealed record InstanceAttempt(DiscoveredService Instance, ClientFailure Failure, string Message)
{
    /// <summary><c>host:port (spn): Failure: message</c>, as the attempts are listed in messages.</summary>
    public override string ToString() => $"{Instance.Host}:{Instance.Port} ({Instance.Spn}): {Failure}: {Message}";
}

/// <summary>What <see cref="ServiceInstances.ConnectAnyAsync{T}"/> connected: the result, its instance, and the instances that failed first.</summary>
/// <param name="Value">What the successful attempt returned.</param>
/// <param name="Instance">The instance that answered.</param>
/// <param name="Failed">The attempts before it that failed over, in order; empty when the first instance answered.</param>
public sealed record InstanceConnection<T>(T Value, DiscoveredService Instance, IReadOnlyList<InstanceAttempt> Failed);
