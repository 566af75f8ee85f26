using ActorAuth.Security.Impersonation;
using Xunit;

namespace ActorAuth.Security.Tests;

public sealed class ImpersonationThreadsTests
{
    [Fact]
    public async Task The_callers_task_completes_after_leave_on_another_thread()
    {
        using var threads = new ImpersonationThreads(1, 4, "test");
        bool left = false;
        int worker = 0;

        int result = await threads.Run(() => { }, () => { worker = Environment.CurrentManagedThreadId; return 42; }, () => left = true);

        Assert.Equal(42, result);
        Assert.True(left);
        Assert.NotEqual(worker, Environment.CurrentManagedThreadId);
    }

    [Fact]
    public async Task Leave_runs_when_the_work_throws_and_the_error_reaches_the_caller()
    {
        using var threads = new ImpersonationThreads(1, 4, "test");
        bool left = false;

        await Assert.ThrowsAsync<FileNotFoundException>(() => threads.Run<int>(() => { }, () => throw new FileNotFoundException(), () => left = true));

        Assert.True(left);
    }

    [Fact]
    public async Task A_thread_that_cannot_return_to_itself_retires_and_a_fresh_one_takes_its_place()
    {
        using var threads = new ImpersonationThreads(1, 4, "test");

        int first = 0;
        var e = await Assert.ThrowsAsync<ImpersonationException>(() => threads.Run(
            () => { }, () => first = Environment.CurrentManagedThreadId, () => throw new InvalidOperationException("still someone else")));
        int second = await threads.Run(() => { }, () => Environment.CurrentManagedThreadId, () => { });

        Assert.Contains("retired: still someone else", e.Message, StringComparison.Ordinal);
        Assert.False(e.IsDenial);
        Assert.Equal(1, threads.Retired);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task A_full_queue_refuses_at_once()
    {
        using var threads = new ImpersonationThreads(1, 1, "test");
        using var release = new ManualResetEventSlim();
        using var running = new ManualResetEventSlim();
        Task<bool> busy = threads.Run(() => { }, () => { running.Set(); return release.Wait(TimeSpan.FromSeconds(30)); }, () => { });
        Assert.True(running.Wait(TimeSpan.FromSeconds(10)));
        Task<bool> queued = threads.Run(() => { }, () => true, () => { });

        var e = Assert.Throws<ImpersonationException>(() => { _ = threads.Run(() => { }, () => true, () => { }); });

        Assert.Contains("queued impersonated operations are the limit", e.Message, StringComparison.Ordinal);
        release.Set();
        Assert.True(await busy && await queued);
    }
}
