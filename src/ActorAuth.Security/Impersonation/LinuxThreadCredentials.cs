using System.Globalization;
using System.Runtime.InteropServices;

namespace ActorAuth.Security.Impersonation;

/// <summary>
/// The calling thread's file-system identity on Linux: fsuid, fsgid and supplementary groups, switched with raw
/// system calls. The kernel keeps credentials per thread; glibc's <c>setgroups</c> (like its setuid family)
/// signals every thread of the process to change too, so it is not used: <c>syscall(SYS_setgroups)</c> changes
/// this thread only, as Samba's smbd does (source3/lib/util_sec.c, USE_LINUX_THREAD_CREDENTIALS). setfsuid and
/// setfsgid have no such broadcast. A non-zero fsuid drops CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH and the other
/// file capabilities from the thread's effective set (capabilities(7)), so the kernel checks access as that user;
/// back at 0 they return from the permitted set.
/// </summary>
internal static partial class LinuxThreadCredentials
{
    private const int CapSetGid = 6;
    private const int CapSetUid = 7;

    /// <summary>(uid_t)-1: an id setfsuid/setfsgid refuse, so the call changes nothing and returns the current one.</summary>
    private const nint AskOnly = -1;

    /// <summary>A thread's file-system identity, as /proc/thread-self/status reports it.</summary>
    internal sealed record Snapshot(uint FsUid, uint FsGid, uint[] Groups)
    {
        public bool SameAs(Snapshot other) => FsUid == other.FsUid && FsGid == other.FsGid && Groups.Order().SequenceEqual(other.Groups.Order());

        public override string ToString() => $"fsuid {FsUid}, fsgid {FsGid}, groups [{string.Join(",", Groups)}]";
    }

    /// <summary>Why this process cannot switch a thread's identity, or null when it can (CAP_SETUID and CAP_SETGID effective).</summary>
    public static string? MissingCapabilities()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "per-thread file-system credentials are a Linux facility";
        }

        string? line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
        ulong effective = line is null ? 0 : ulong.Parse(line.AsSpan(7).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        bool setUid = (effective & (1UL << CapSetUid)) != 0, setGid = (effective & (1UL << CapSetGid)) != 0;
        return setUid && setGid ? null
            : $"the server process lacks {(setUid ? "" : "CAP_SETUID")}{(setUid || setGid ? "" : " and ")}{(setGid ? "" : "CAP_SETGID")} " +
              "(run it as root or grant them, e.g. systemd AmbientCapabilities=CAP_SETUID CAP_SETGID), so it cannot take on a client's file-system identity";
    }

    /// <summary>The calling thread's identity, read from the kernel (not from what this class last set).</summary>
    public static Snapshot Current() => Read("/proc/thread-self/status");

    /// <summary>Thread <paramref name="threadId"/>'s identity (a thread of this process).</summary>
    public static Snapshot OfThread(int threadId) => Read($"/proc/self/task/{threadId}/status");

    /// <summary>The kernel's id of the calling thread.</summary>
    public static int CurrentThreadId() => gettid();

    /// <summary>
    /// Makes the calling thread act on files as <paramref name="uid"/>/<paramref name="gid"/> with
    /// <paramref name="groups"/>: groups first, then fsgid, then fsuid (while fsuid is still 0 the thread may set
    /// them). Every step is checked against the kernel's answer; on any failure the thread is reverted to
    /// <paramref name="original"/> and the error thrown.
    /// </summary>
    /// <exception cref="InvalidOperationException">The kernel refused a step.</exception>
    public static void Assume(uint uid, uint gid, uint[] groups, Snapshot original)
    {
        try
        {
            SetGroups(groups);
            SetFsGid(gid);
            SetFsUid(uid);
        }
        catch
        {
            Revert(original);
            throw;
        }
    }

    /// <summary>Puts the calling thread back to <paramref name="original"/> (fsuid first, so the rest may be set again).</summary>
    /// <exception cref="InvalidOperationException">The kernel refused: the thread must not run anything else.</exception>
    public static void Revert(Snapshot original)
    {
        SetFsUid(original.FsUid);
        SetFsGid(original.FsGid);
        SetGroups(original.Groups);
    }

    private static void SetFsUid(uint uid)
    {
        // setfsuid returns the previous fsuid whether or not it succeeded; asking again with -1 (invalid, so no
        // change) returns the current one.
        _ = syscall(Calls.SetFsUid, (nint)uid);
        uint now = (uint)syscall(Calls.SetFsUid, AskOnly);
        if (now != uid)
        {
            throw new InvalidOperationException($"setfsuid({uid}) was refused; the thread's fsuid is {now}");
        }
    }

    private static void SetFsGid(uint gid)
    {
        _ = syscall(Calls.SetFsGid, (nint)gid);
        uint now = (uint)syscall(Calls.SetFsGid, AskOnly);
        if (now != gid)
        {
            throw new InvalidOperationException($"setfsgid({gid}) was refused; the thread's fsgid is {now}");
        }
    }

    private static unsafe void SetGroups(uint[] groups)
    {
        fixed (uint* list = groups)
        {
            if (syscall(Calls.SetGroups, (nint)groups.Length, (nint)list) != 0)
            {
                throw new InvalidOperationException($"setgroups({groups.Length} groups) was refused: errno {Marshal.GetLastPInvokeError()}");
            }
        }
    }

    private static Snapshot Read(string statusPath)
    {
        uint fsUid = 0, fsGid = 0;
        uint[] groups = [];
        foreach (string line in File.ReadLines(statusPath))
        {
            // "Uid:\treal\teffective\tsaved\tfs"
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
            {
                fsUid = Field(line, 4);
            }
            else if (line.StartsWith("Gid:", StringComparison.Ordinal))
            {
                fsGid = Field(line, 4);
            }
            else if (line.StartsWith("Groups:", StringComparison.Ordinal))
            {
                groups = [.. line[7..].Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(g => uint.Parse(g, CultureInfo.InvariantCulture))];
            }
        }

        return new Snapshot(fsUid, fsGid, groups);

        static uint Field(string line, int index) =>
            uint.Parse(line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[index], CultureInfo.InvariantCulture);
    }

    /// <summary>System call numbers (asm/unistd.h); arm64 uses the generic table.</summary>
    private static class Calls
    {
        public static readonly nint SetGroups = Arch(x64: 116, arm64: 159);
        public static readonly nint SetFsUid = Arch(x64: 122, arm64: 151);
        public static readonly nint SetFsGid = Arch(x64: 123, arm64: 152);

        private static nint Arch(nint x64, nint arm64) => RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => x64,
            Architecture.Arm64 => arm64,
            var other => throw new PlatformNotSupportedException($"no system call table for {other}"),
        };
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint syscall(nint number, nint arg1);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint syscall(nint number, nint arg1, nint arg2);

    [LibraryImport("libc")]
    private static partial int gettid();
}
