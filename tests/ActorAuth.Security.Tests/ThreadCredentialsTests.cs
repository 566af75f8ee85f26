using System.Runtime.Versioning;
using ActorAuth.Security.Impersonation;
using Xunit;

namespace ActorAuth.Security.Tests;

/// <summary>Linux credentials are per thread: the raw system calls change the calling thread only (needs root).</summary>
[UnsupportedOSPlatform("windows")]
public sealed class ThreadCredentialsTests
{
    private const uint Nobody = 65534;

    /// <summary>Runs <paramref name="body"/> on a fresh thread that holds nobody's identity meanwhile, then reverts it.</summary>
    private static void AsNobody(Action<LinuxThreadCredentials.Snapshot> body)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            LinuxThreadCredentials.Snapshot own = LinuxThreadCredentials.Current();
            try
            {
                LinuxThreadCredentials.Assume(Nobody, Nobody, [Nobody], own);
                try
                {
                    body(own);
                }
                finally
                {
                    LinuxThreadCredentials.Revert(own);
                }

                Assert.Equal(own, LinuxThreadCredentials.Current(), (a, b) => a.SameAs(b));
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromSeconds(30)), "the impersonating thread did not finish");
        if (failure is not null)
        {
            throw new Xunit.Sdk.XunitException($"on the impersonating thread: {failure}");
        }
    }

    [Fact]
    public void Taking_on_an_identity_changes_the_calling_thread_and_no_other()
    {
        LinuxThreadCredentials.Snapshot main = LinuxThreadCredentials.Current();
        int mainThread = LinuxThreadCredentials.CurrentThreadId();

        AsNobody(_ =>
        {
            Assert.Equal(new LinuxThreadCredentials.Snapshot(Nobody, Nobody, [Nobody]), LinuxThreadCredentials.Current(), (a, b) => a.SameAs(b));
            Assert.True(LinuxThreadCredentials.OfThread(mainThread).SameAs(main), $"the test's thread changed too: {LinuxThreadCredentials.OfThread(mainThread)}");
        });
    }

    [Fact]
    public void With_a_clients_fsuid_the_kernel_refuses_what_the_server_could_read()
    {
        string secret = Path.Combine(Path.GetTempPath(), $"actorauth-root-only-{Guid.NewGuid():N}");
        File.WriteAllText(secret, "root only");
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        try
        {
            AsNobody(_ => Assert.Throws<UnauthorizedAccessException>(() => File.ReadAllText(secret)));
            Assert.Equal("root only", File.ReadAllText(secret));
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public void This_process_may_switch_identities()
    {
        Assert.Null(LinuxThreadCredentials.MissingCapabilities());
    }
}
