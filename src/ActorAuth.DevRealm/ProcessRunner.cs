using System.ComponentModel;
using System.Diagnostics;

namespace ActorAuth.DevRealm;

/// <summary>What an external command printed after it exited successfully.</summary>
/// <param name="StandardOutput">Everything written to standard output.</param>
/// <param name="StandardError">Everything written to standard error.</param>
internal sealed record CommandOutput(string StandardOutput, string StandardError);

/// <summary>
/// Runs the MIT Kerberos tools with the realm's environment, capturing all output, and turns every
/// failure into a <see cref="DevRealmException"/> that says what ran, how it failed and what to install.
/// </summary>
internal static class ProcessRunner
{
    /// <summary>Which Debian package ships each tool, so a missing binary gets an actionable message.</summary>
    private static readonly Dictionary<string, string> PackageOf = new(StringComparer.Ordinal)
    {
        ["krb5kdc"] = "krb5-kdc",
        ["kdb5_util"] = "krb5-kdc",
        ["kadmin.local"] = "krb5-admin-server",
        ["kinit"] = "krb5-user",
        ["klist"] = "krb5-user",
        ["kvno"] = "krb5-user",
    };

    /// <summary>
    /// The KDC tools live in /usr/sbin, which is not on a non-root user's PATH on Debian,
    /// so those directories are searched after PATH.
    /// </summary>
    private static readonly string[] ExtraSearchDirectories = ["/usr/sbin", "/sbin", "/usr/local/sbin"];

    /// <summary>The tools answer in milliseconds; a hung one should fail the caller, not block it.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Runs <paramref name="tool"/> to completion.
    /// </summary>
    /// <param name="tool">The bare tool name, for example <c>kadmin.local</c>.</param>
    /// <param name="arguments">Arguments passed verbatim (no shell, so no quoting issues).</param>
    /// <param name="environment">Variables set for the child on top of the inherited environment.</param>
    /// <param name="standardInput">Text written to the child's standard input, or null for none.</param>
    /// <param name="secrets">Values replaced by <c>***</c> wherever a command line is reported.</param>
    /// <param name="cancellationToken">Kills the child when cancelled.</param>
    /// <exception cref="DevRealmException">The tool is missing, timed out or exited non-zero.</exception>
    public static async Task<CommandOutput> RunAsync(
        string tool,
        IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string> environment,
        string? standardInput,
        IReadOnlyCollection<string> secrets,
        CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(Resolve(tool))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        var commandLine = Redact(string.Join(' ', [tool, .. arguments]), secrets);
        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new DevRealmException($"Could not start `{commandLine}`: {e.Message}. {InstallHint(tool)}", e);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            // Always close stdin: kinit and kadmin prompt on it, and an open pipe would make them wait forever.
            if (standardInput is not null)
            {
                await process.StandardInput.WriteAsync(standardInput.AsMemory(), timeout.Token).ConfigureAwait(false);
            }

            process.StandardInput.Close();
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            throw new DevRealmException($"Command `{commandLine}` did not finish within {Timeout.TotalSeconds} s.");
        }

        var output = new CommandOutput(await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
        if (process.ExitCode != 0)
        {
            throw new DevRealmException(commandLine, process.ExitCode, Redact(output.StandardError, secrets));
        }

        return output;
    }

    /// <summary>Finds the tool on PATH or in the sbin directories; the bare name if it is nowhere.</summary>
    private static string Resolve(string tool)
    {
        var path = System.Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        var candidates = path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(ExtraSearchDirectories);
        foreach (var directory in candidates)
        {
            var candidate = Path.Combine(directory, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DevRealmException($"`{tool}` was not found on PATH or in /usr/sbin. {InstallHint(tool)}");
    }

    private static string InstallHint(string tool) =>
        PackageOf.TryGetValue(tool, out var package)
            ? $"Install the Debian package {package} (scripts/install-deps.sh installs all of them)."
            : "Run scripts/install-deps.sh.";

    private static string Redact(string text, IReadOnlyCollection<string> secrets) =>
        secrets.Where(s => s.Length > 0).Aggregate(text, (current, secret) => current.Replace(secret, "***", StringComparison.Ordinal));
}
