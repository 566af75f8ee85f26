using System.Globalization;
using System.Runtime.InteropServices;

namespace ActorAuth.Bench;

/// <summary>
/// CPU and memory of a process and all its descendants, from /proc (Linux): a server of several processes (Apache's
/// parent and its mpm_event workers) costs what they all use. A live member counts its own time (utime + stime) and
/// that of the children it has reaped (cutime + cstime), so a worker that exits during the run is still counted
/// once, by its parent.
/// </summary>
internal static partial class ProcessTree
{
    private static readonly long TicksPerSecond = Math.Max(1, SysConf(ScClkTck));
    private static readonly long PageSize = Environment.SystemPageSize;

    /// <summary>The tree's sample, or null off Linux or when <paramref name="root"/> is gone.</summary>
    public static ProcessSample? Sample(int root)
    {
        if (!OperatingSystem.IsLinux() || Read(root) is not { } top)
        {
            return null;
        }

        var children = new Dictionary<int, List<int>>();
        foreach (string entry in System.IO.Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && Read(pid) is { } stat)
            {
                (children.TryGetValue(stat.Parent, out List<int>? list) ? list : children[stat.Parent] = []).Add(pid);
            }
        }

        long ticks = top.Ticks, pages = top.ResidentPages;
        var pending = new Stack<int>(children.GetValueOrDefault(root) ?? []);
        while (pending.TryPop(out int pid))
        {
            if (Read(pid) is { } stat)
            {
                ticks += stat.Ticks;
                pages += stat.ResidentPages;
            }

            foreach (int child in children.GetValueOrDefault(pid) ?? [])
            {
                pending.Push(child);
            }
        }

        return new ProcessSample(TimeSpan.FromSeconds((double)ticks / TicksPerSecond), pages * PageSize);
    }

    /// <summary>/proc/PID/stat: the fields after the command name (which may hold spaces and parentheses).</summary>
    private static (int Parent, long Ticks, long ResidentPages)? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // exited meanwhile
        }

        // Field 3 (state) is fields[0]: ppid 4, utime 14, stime 15, cutime 16, cstime 17, rss 24.
        string[] fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        long F(int field) => long.Parse(fields[field - 3], CultureInfo.InvariantCulture);
        return ((int)F(4), F(14) + F(15) + F(16) + F(17), F(24));
    }

    private const int ScClkTck = 2;

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial long SysConf(int name);
}
