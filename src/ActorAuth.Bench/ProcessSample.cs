using System.Diagnostics;

namespace ActorAuth.Bench;

/// <summary>A process's CPU time and resident memory at one moment (the server under test, or this process).</summary>
public readonly record struct ProcessSample(TimeSpan Cpu, long ResidentBytes)
{
    /// <summary>Samples this process.</summary>
    public static ProcessSample Current()
    {
        using Process self = Process.GetCurrentProcess();
        return new(self.TotalProcessorTime, self.WorkingSet64);
    }

    /// <summary>
    /// Samples another process, or null if it is gone or not readable. On Linux the process and all its descendants
    /// (<see cref="ProcessTree"/>): the same for a one-process server, the whole server for one of several (Apache).
    /// </summary>
    public static ProcessSample? Of(int processId)
    {
        if (OperatingSystem.IsLinux())
        {
            return ProcessTree.Sample(processId);
        }

        try
        {
            using Process process = Process.GetProcessById(processId);
            return new(process.TotalProcessorTime, process.WorkingSet64);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
