using ActorAuth.Actors;

namespace ActorAuth.TestKit;

/// <summary>
/// Base class for actor specs (one actor system per test, as xunit makes one instance per test). The kit's own
/// <see cref="TestActor"/> probe backs the Expect methods. Construct it with a <see cref="ManualTimeProvider"/> to drive
/// every kernel timer (receive timeout, scheduler, ask timeout) with <see cref="ManualTimeProvider.Advance"/>.
/// </summary>
public abstract class TestKit : IDisposable
{
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(10);

    private readonly TestProbe _testProbe;
    private readonly ManualTimeProvider? _time;

    /// <summary>A kit whose system uses <paramref name="settings"/> (default settings: the real clock).</summary>
    protected TestKit(ActorSystemSettings? settings = null)
    {
        Sys = ActorSystem.Create("test", settings);
        _testProbe = CreateTestProbe("testActor");
    }

    /// <summary>A kit whose system runs on the virtual clock <paramref name="time"/>.</summary>
    protected TestKit(ManualTimeProvider time)
        : this(new ActorSystemSettings { TimeProvider = time })
    {
        _time = time;
    }

    /// <summary>The system under test; terminated by <see cref="Dispose"/>.</summary>
    public ActorSystem Sys { get; }

    /// <summary>The kit's default probe, used by the kit's Expect methods.</summary>
    public IActorRef TestActor => _testProbe.Ref;

    /// <summary>The sender of the message most recently expected on <see cref="TestActor"/>.</summary>
    public IActorRef LastSender => _testProbe.LastSender;

    /// <summary>The virtual clock given to the constructor.</summary>
    /// <exception cref="InvalidOperationException">The kit runs on the real clock.</exception>
    protected ManualTimeProvider Time =>
        _time ?? throw new InvalidOperationException("This kit runs on the real clock; pass a ManualTimeProvider to the constructor.");

    /// <summary>Creates another probe in <see cref="Sys"/>.</summary>
    public TestProbe CreateTestProbe(string? name = null) => new(Sys, name);

    /// <inheritdoc cref="TestProbe.ExpectMsg{T}(TimeSpan?)"/>
    public T ExpectMsg<T>(TimeSpan? timeout = null) => _testProbe.ExpectMsg<T>(timeout);

    /// <inheritdoc cref="TestProbe.ExpectMsg{T}(T, TimeSpan?)"/>
    public T ExpectMsg<T>(T expected, TimeSpan? timeout = null) => _testProbe.ExpectMsg(expected, timeout);

    /// <inheritdoc cref="TestProbe.ExpectMsg{T}(Predicate{T}, TimeSpan?)"/>
    public T ExpectMsg<T>(Predicate<T> predicate, TimeSpan? timeout = null) => _testProbe.ExpectMsg(predicate, timeout);

    /// <inheritdoc cref="TestProbe.ExpectNoMsg"/>
    public void ExpectNoMsg(TimeSpan duration) => _testProbe.ExpectNoMsg(duration);

    /// <inheritdoc cref="TestProbe.ExpectTerminated"/>
    public Terminated ExpectTerminated(IActorRef subject, TimeSpan? timeout = null) => _testProbe.ExpectTerminated(subject, timeout);

    /// <summary>Makes <see cref="TestActor"/> watch <paramref name="subject"/>.</summary>
    public IActorRef Watch(IActorRef subject) => _testProbe.Watch(subject);

    /// <summary>Terminates <see cref="Sys"/>, waiting at most 10 s (real time) so a stuck actor cannot hang the run.</summary>
    public void Dispose()
    {
        Sys.Terminate().Wait(ShutdownTimeout);
        GC.SuppressFinalize(this);
    }
}
