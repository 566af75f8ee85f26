using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace ActorAuth.Bench;

/// <summary>
/// One principal the load is spread over. Its TGT is obtained once (kinit with the dev realm's password file)
/// into a ticket cache of its own; before each client GSSAPI step the worker points MIT at that cache for the
/// calling thread (<c>gss_krb5_ccache_name</c>, which MIT keeps per thread). So a handshake costs what a
/// client with a ticket cache pays — the service ticket comes from the cache after the first — instead of an
/// AS exchange with the KDC per handshake, which would measure the KDC rather than the server.
/// </summary>
public sealed partial class BenchUser : IDisposable
{
    private readonly IntPtr _cacheName;

    private BenchUser(string name, string cache)
    {
        Name = name;
        Cache = cache;
        GreetingClient = Encoding.UTF8.GetBytes($"\"client\":\"{name}@");
        _cacheName = Marshal.StringToCoTaskMemUTF8(cache);
    }

    /// <summary>The user name (without realm).</summary>
    public string Name { get; }

    /// <summary>The ticket cache holding its TGT, e.g. <c>FILE:/tmp/…/alice</c>.</summary>
    public string Cache { get; }

    /// <summary>What the server's greeting must contain for this user: <c>"client":"alice@</c>.</summary>
    internal byte[] GreetingClient { get; }

    /// <summary>Obtains <paramref name="name"/>'s TGT with the password in <paramref name="passwordFile"/> into a cache under <paramref name="directory"/>.</summary>
    /// <exception cref="InvalidOperationException">kinit failed (its message is included).</exception>
    public static async Task<BenchUser> LoginAsync(string name, string passwordFile, string directory, CancellationToken cancellationToken = default)
    {
        string password = (await File.ReadAllTextAsync(passwordFile, cancellationToken).ConfigureAwait(false)).TrimEnd('\r', '\n');
        string cache = "FILE:" + Path.Combine(directory, name + ".ccache");
        var start = new ProcessStartInfo("kinit", ["-c", cache, name])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process kinit = Process.Start(start) ?? throw new InvalidOperationException("kinit did not start.");
        await kinit.StandardInput.WriteLineAsync(password.AsMemory(), cancellationToken).ConfigureAwait(false);
        kinit.StandardInput.Close();
        Task<string> stderr = kinit.StandardError.ReadToEndAsync(cancellationToken);
        await kinit.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await kinit.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return kinit.ExitCode == 0
            ? new BenchUser(name, cache)
            : throw new InvalidOperationException($"kinit {name} failed: {(await stderr.ConfigureAwait(false)).Trim()}");
    }

    /// <summary>Makes MIT use this user's cache for GSSAPI calls on the current thread (call right before each step).</summary>
    public void UseOnThisThread()
    {
        if (GssKrb5CcacheName(out uint minor, _cacheName, IntPtr.Zero) != 0)
        {
            throw new InvalidOperationException($"gss_krb5_ccache_name({Cache}) failed (minor {minor}).");
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Marshal.FreeCoTaskMem(_cacheName);
        try
        {
            File.Delete(Cache["FILE:".Length..]);
        }
        catch (IOException)
        {
        }
    }

    [LibraryImport("libgssapi_krb5.so.2", EntryPoint = "gss_krb5_ccache_name")]
    private static partial uint GssKrb5CcacheName(out uint minor, IntPtr name, IntPtr outName);
}
