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

    /// <summary>Samples another process (on Linux from /proc/PID), or null if it is gone or not readable.</summary>
    public static ProcessSample? Of(int processId)
    {
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
