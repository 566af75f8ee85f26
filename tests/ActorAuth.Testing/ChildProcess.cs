using System.Diagnostics;
using System.Text;

namespace ActorAuth.Testing;

/// <summary>Runs programs (the <c>actorauth</c> CLI, MIT's tools) as child processes, with the realm's environment.</summary>
public static class ChildProcess
{
    /// <summary>The built <c>actorauth</c> command next to the tests.</summary>
    public static string Cli => Path.Combine(AppContext.BaseDirectory, "actorauth.dll");

    /// <summary>A start description: <paramref name="file"/> with its arguments, <paramref name="environment"/> added, output redirected.</summary>
    public static ProcessStartInfo Describe(string file, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // A child gets MIT's variables the ordinary way: in its environment from the start.
        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }

    /// <summary>Runs to completion (bounded at 60 s) and returns the exit code, standard output and standard error.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string file, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        using Process process = Process.Start(Describe(file, environment, arguments))!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts a long-running child and collects its output lines; <paramref name="ready"/> completes when a line contains <paramref name="readyText"/>.</summary>
    public static Process Start(ProcessStartInfo start, StringBuilder output, string readyText, out Task ready)
    {
        var seen = new TaskCompletionSource();
        Process process = Process.Start(start)!;
        void Collect(string? line)
        {
            lock (output)
            {
                output.AppendLine(line);
            }

            if (line?.Contains(readyText, StringComparison.Ordinal) == true)
            {
                seen.TrySetResult();
            }
        }

        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        ready = seen.Task;
        return process;
    }
}
