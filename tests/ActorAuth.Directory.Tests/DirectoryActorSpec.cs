using Akka.TestKit;

namespace ActorAuth.Directory.Tests;

// Virtual time (Akka's TestScheduler): the test waits for the actor's "retrying in" log line (real time) before
// advancing the clock, so the retry timer exists when the clock moves.
public sealed class DirectoryActorSpec() : Akka.TestKit.Xunit2.TestKit(VirtualTime)
{
    private const string VirtualTime = "akka.scheduler.implementation = \"Akka.TestKit.TestScheduler, Akka.TestKit\"";

    private static readonly Guid ServiceGuid = Guid.Parse("5b6f1c8e-0a4e-4c55-9d1f-7e2b8f4c0a11");

    private readonly CapturedLog _log = new();
    private readonly StubBackend _backend = new();

    private TestScheduler Time => (TestScheduler)Sys.Scheduler;

    private static DirectorySettings Settings(bool required = true, bool removeScpOnStop = false) => new()
    {
        ServiceClass = "actorauth",
        DnsHostName = "host1.corp.example",
        OtherDnsNames = ["alias.corp.example"],
        Port = 2000,
        ServiceGuid = ServiceGuid,
        Required = required,
        Deadline = TimeSpan.FromSeconds(1),
        RemoveScpOnStop = removeScpOnStop,
    };

    [Theory]
    [InlineData(null, "2000")]
    [InlineData("node-a", "node-a")]
    public void Each_instance_publishes_its_own_SCP_named_by_its_port_unless_it_has_an_instance_name(string? configured, string expected)
    {
        ServiceConnectionPoint scp = (Settings() with { InstanceName = configured }).ComposeScp();

        Assert.Equal(expected, scp.InstanceName);
        Assert.Equal(["host1.corp.example:2000"], scp.ServiceBindingInformation);
    }

    [Fact]
    public void Registers_verifies_and_publishes_then_answers_every_asker()
    {
        var early = CreateTestProbe();
        var actor = Sys.ActorOf(DirectoryActor.Props(Settings(), _backend, _log));
        early.Send(actor, AwaitDirectory.Instance);

        var ready = early.ExpectMsg<DirectoryReady>();
        Assert.Equal(
            ["actorauth/host1.corp.example", "actorauth/alias.corp.example", "actorauth/host1.corp.example:2000", "actorauth/alias.corp.example:2000"],
            ready.Spns.Select(s => s.ToString()));
        Assert.Null(ready.Warning);
        Assert.Equal([ServiceGuid.ToString("D"), "ActorAuth"], ready.Scp!.Keywords);
        Assert.Equal(["host1.corp.example:2000"], ready.Scp.ServiceBindingInformation);
        Assert.Equal("CN=stub", ready.Scp.DistinguishedName);

        actor.Tell(AwaitDirectory.Instance, TestActor);
        Assert.Same(ready, ExpectMsg<DirectoryReady>());
        _log.WaitFor("Published SCP CN=stub for account svc-stub");
    }

    [Fact]
    public void Retries_an_unreachable_directory_with_exponential_backoff_until_it_answers()
    {
        _backend.FailuresLeft = 3;
        var actor = Sys.ActorOf(DirectoryActor.Props(Settings() with { Deadline = TimeSpan.FromSeconds(30) }, _backend, _log));
        actor.Tell(AwaitDirectory.Instance, TestActor);

        foreach (var (attempt, delay) in new[] { (1, 200), (2, 400), (3, 800) })
        {
            _log.WaitFor($"(attempt {attempt}): connection refused (stub); retrying in {delay} ms");
            Time.Advance(TimeSpan.FromMilliseconds(delay - 1));
            Assert.Equal(attempt, _backend.Calls);
            Time.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.Null(ExpectMsg<DirectoryReady>().Warning);
        Assert.Contains(_log.Entries, e => e.Message.StartsWith("Directory attempt 4:", StringComparison.Ordinal));
    }

    [Fact]
    public void Backoff_doubles_up_to_five_seconds()
    {
        var delays = Enumerable.Range(1, 8).Select(n => RetryBackoff.DelayBefore(n, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5))).ToList();

        Assert.Equal([200, 400, 800, 1600, 3200, 5000, 5000, 5000], delays.Select(d => (int)d.TotalMilliseconds));
    }

    [Fact]
    public void Required_directory_unreachable_past_the_deadline_fails_saying_so()
    {
        _backend.FailuresLeft = int.MaxValue;
        var actor = Sys.ActorOf(DirectoryActor.Props(Settings(required: true), _backend, _log));
        actor.Tell(AwaitDirectory.Instance, TestActor);

        // 200 ms, 400 ms, then the remaining 400 ms so the last attempt lands on the 1 s deadline.
        foreach (var (attempt, delay) in new[] { (1, 200), (2, 400), (3, 400) })
        {
            _log.WaitFor($"(attempt {attempt}): connection refused (stub); retrying in {delay} ms");
            Time.Advance(TimeSpan.FromMilliseconds(delay));
        }

        var failed = ExpectMsg<DirectoryFailed>();
        Assert.Contains("unreachable for 1 s (4 attempts) for account svc-stub", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("directory.required is on", failed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Optional_directory_unreachable_past_the_deadline_serves_with_a_warning()
    {
        _backend.FailuresLeft = int.MaxValue;
        var actor = Sys.ActorOf(DirectoryActor.Props(Settings(required: false), _backend, _log));
        actor.Tell(AwaitDirectory.Instance, TestActor);

        foreach (var (attempt, delay) in new[] { (1, 200), (2, 400), (3, 400) })
        {
            _log.WaitFor($"(attempt {attempt}): connection refused (stub); retrying in {delay} ms");
            Time.Advance(TimeSpan.FromMilliseconds(delay));
        }

        var ready = ExpectMsg<DirectoryReady>();
        Assert.Empty(ready.Spns);
        Assert.Null(ready.Scp);
        Assert.Contains("directory.required is off", ready.Warning, StringComparison.Ordinal);
        Assert.Contains(_log.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains("required is off", StringComparison.Ordinal));
    }

    [Fact]
    public void An_SPN_on_another_account_fails_at_once_without_retrying()
    {
        _backend.ConflictingSpnOwner = "CN=svc-other,CN=Users,DC=corp,DC=example";
        var actor = Sys.ActorOf(DirectoryActor.Props(Settings(), _backend, _log));
        actor.Tell(AwaitDirectory.Instance, TestActor);

        var failed = ExpectMsg<DirectoryFailed>();
        Assert.Contains("actorauth/host1.corp.example is already registered on CN=svc-other,CN=Users,DC=corp,DC=example", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(1, _backend.Calls);
    }

    [Fact]
    public void An_invalid_host_name_fails_naming_it()
    {
        var actor = Sys.ActorOf(DirectoryActor.Props(Settings() with { OtherDnsNames = ["HOST1"] }, _backend, _log));
        actor.Tell(AwaitDirectory.Instance, TestActor);

        Assert.Contains("'HOST1' has no dot", ExpectMsg<DirectoryFailed>().Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Stop_removes_the_SCP_only_when_configured()
    {
        var keeps = Sys.ActorOf(DirectoryActor.Props(Settings(), _backend, _log));
        keeps.Tell(AwaitDirectory.Instance, TestActor);
        ExpectMsg<DirectoryReady>();
        Watch(keeps);
        keeps.Tell(StopDirectory.Instance, TestActor);
        ExpectMsg(DirectoryStopped.Instance);
        ExpectTerminated(keeps);
        Assert.NotNull(_backend.Scp);

        var removes = Sys.ActorOf(DirectoryActor.Props(Settings(removeScpOnStop: true), _backend, _log));
        removes.Tell(AwaitDirectory.Instance, TestActor);
        ExpectMsg<DirectoryReady>();
        removes.Tell(StopDirectory.Instance, TestActor);
        ExpectMsg(DirectoryStopped.Instance);
        Assert.Null(_backend.Scp);
    }
}
