using System.Runtime.InteropServices;

namespace ActorAuth.Security;

/// <summary>
/// Sets the variables MIT Kerberos reads (<c>KRB5_CONFIG</c>, <c>KRB5_KTNAME</c>, <c>KRB5CCNAME</c>, …) in
/// the process's C environment. .NET's <see cref="Environment.SetEnvironmentVariable(string, string)"/> only
/// changes a managed copy on Unix, which libgssapi never sees; exporting them before the process starts is
/// the usual way, and this is the way for a process that learns them at run time (the demo, an embedding
/// host). Call it at start-up, before any security context exists: <c>setenv</c> is not safe while other
/// threads read the environment.
/// </summary>
public static partial class KerberosEnvironment
{
    /// <summary>Sets each variable in both the C environment and .NET's view of it (so child processes inherit it too).</summary>
    public static void Apply(IReadOnlyDictionary<string, string> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        foreach ((string name, string value) in variables)
        {
            Environment.SetEnvironmentVariable(name, value);
            if (!OperatingSystem.IsWindows() && SetEnv(name, value, 1) != 0)
            {
                throw new InvalidOperationException($"setenv({name}) failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
