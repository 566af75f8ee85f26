using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ActorAuth.Security.Impersonation;

/// <summary>What reading a file beneath a <see cref="ConfinedRoot"/> came to.</summary>
public enum ConfinedReadStatus
{
    /// <summary>Read; the content is the file's bytes.</summary>
    Ok,

    /// <summary>The operating system refused access (EACCES/EPERM): the reason is its own words.</summary>
    AccessDenied,

    /// <summary>The path leads outside the root (.., an absolute path, a symlink out).</summary>
    OutsideRoot,

    /// <summary>No such file.</summary>
    NotFound,

    /// <summary>Larger than the caller allows.</summary>
    TooLarge,

    /// <summary>Not a regular file (a directory, FIFO, device), or another failure.</summary>
    Failed,
}

/// <summary>
/// A directory that relative paths are resolved beneath by the kernel, not by string checks: on Linux
/// <c>openat2(root, path, RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS)</c> refuses (EXDEV) any path — "..", absolute,
/// or a symlink at any depth — that would leave the root, atomically with the open, so a symlink swapped in
/// between a check and the open cannot win. All calls are synchronous on the calling thread (for impersonation:
/// the kernel checks the open with that thread's file-system identity). Elsewhere a managed fallback refuses
/// paths that leave the root or cross a reparse point (checked, then opened: not atomic; see docs/IMPERSONATION.md).
/// </summary>
public sealed partial class ConfinedRoot : IDisposable
{
    private const int EPERM = 1, ENOENT = 2, EACCES = 13, EXDEV = 18, ELOOP = 40;
    private const ulong ORdOnly = 0, ONonBlock = 0x800, ONoCtty = 0x100, OCloExec = 0x80000, OPath = 0x200000;
    private const ulong ResolveNoMagicLinks = 0x02, ResolveBeneath = 0x08;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxType = 0x1, StatxSize = 0x200;
    private const ushort SIfMt = 0xF000, SIfReg = 0x8000;
    private const nint Openat2 = 437; // the same number on every architecture (it postdates the unified table)

    private readonly SafeFileHandle? _root;

    /// <summary>Opens <paramref name="directory"/> (as the server) to resolve paths beneath.</summary>
    /// <exception cref="DirectoryNotFoundException">It is not a directory.</exception>
    public ConfinedRoot(string directory)
    {
        Path = System.IO.Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(Path))
        {
            throw new DirectoryNotFoundException($"The root '{Path}' is not a directory.");
        }

        if (OperatingSystem.IsLinux())
        {
            int fd = open(Path, (int)(OPath | OCloExec));
            _root = fd >= 0 ? new SafeFileHandle(fd, ownsHandle: true)
                : throw new IOException($"Cannot open the root '{Path}': {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
    }

    /// <summary>The root's full path.</summary>
    public string Path { get; }

    /// <summary>Reads <paramref name="relativePath"/> beneath the root, at most <paramref name="maxBytes"/> bytes, synchronously.</summary>
    public (ConfinedReadStatus Status, byte[] Content, string Reason) Read(string relativePath, int maxBytes)
    {
        if (relativePath.Length == 0 || relativePath.Contains('\0'))
        {
            return (ConfinedReadStatus.Failed, [], "no path was given");
        }

        return _root is not null ? ReadBeneath(relativePath, maxBytes) : ReadChecked(relativePath, maxBytes);
    }

    private unsafe (ConfinedReadStatus, byte[], string) ReadBeneath(string relativePath, int maxBytes)
    {
        var how = new OpenHow { Flags = ORdOnly | ONonBlock | ONoCtty | OCloExec, Resolve = ResolveBeneath | ResolveNoMagicLinks };
        byte[] path = System.Text.Encoding.UTF8.GetBytes(relativePath + "\0");
        int fd;
        fixed (byte* p = path)
        {
            fd = (int)syscall(Openat2, _root!.DangerousGetHandle(), (nint)p, (nint)(&how), sizeof(OpenHow));
        }

        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            string text = Marshal.GetPInvokeErrorMessage(errno);
            return errno switch
            {
                EACCES or EPERM => (ConfinedReadStatus.AccessDenied, [], text),
                EXDEV or ELOOP => (ConfinedReadStatus.OutsideRoot, [], $"'{relativePath}' resolves outside the root ({text})"),
                ENOENT => (ConfinedReadStatus.NotFound, [], $"no file '{relativePath}'"),
                _ => (ConfinedReadStatus.Failed, [], $"cannot open '{relativePath}': {text}"),
            };
        }

        using var file = new SafeFileHandle(fd, ownsHandle: true);
        byte* stat = stackalloc byte[256];
        if (statx(fd, "", AtEmptyPath, StatxType | StatxSize, stat) != 0)
        {
            return (ConfinedReadStatus.Failed, [], $"cannot stat '{relativePath}': {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        ushort mode = *(ushort*)(stat + 28);
        ulong size = *(ulong*)(stat + 40);
        if ((mode & SIfMt) != SIfReg)
        {
            return (ConfinedReadStatus.Failed, [], $"'{relativePath}' is not a regular file");
        }

        if (size > (ulong)maxBytes)
        {
            return (ConfinedReadStatus.TooLarge, [], $"'{relativePath}' is {size} bytes; the limit is {maxBytes}");
        }

        // One byte past the size: a file that grew since statx is caught rather than cut short silently.
        byte[] content = new byte[(int)size + 1];
        int total = 0;
        while (total < content.Length)
        {
            int n = RandomAccess.Read(file, content.AsSpan(total), total);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total > maxBytes
            ? (ConfinedReadStatus.TooLarge, [], $"'{relativePath}' grew past the limit of {maxBytes} bytes while being read")
            : (ConfinedReadStatus.Ok, content[..total], string.Empty);
    }

    private (ConfinedReadStatus, byte[], string) ReadChecked(string relativePath, int maxBytes)
    {
        string full = System.IO.Path.GetFullPath(relativePath, Path);
        string rootWithSeparator = System.IO.Path.EndsInDirectorySeparator(Path) ? Path : Path + System.IO.Path.DirectorySeparatorChar;
        if (System.IO.Path.IsPathRooted(relativePath) || !full.StartsWith(rootWithSeparator, StringComparison.OrdinalIgnoreCase))
        {
            return (ConfinedReadStatus.OutsideRoot, [], $"'{relativePath}' resolves outside the root");
        }

        for (string? step = full; step is not null && step.Length > rootWithSeparator.Length - 1; step = System.IO.Path.GetDirectoryName(step))
        {
            if (File.Exists(step) || System.IO.Directory.Exists(step))
            {
                if (File.GetAttributes(step).HasFlag(FileAttributes.ReparsePoint))
                {
                    return (ConfinedReadStatus.OutsideRoot, [], $"'{relativePath}' passes through a link, which this platform does not follow beneath a root");
                }
            }
        }

        try
        {
            using SafeFileHandle file = File.OpenHandle(full, FileMode.Open, FileAccess.Read, FileShare.Read);
            long length = RandomAccess.GetLength(file);
            if (length > maxBytes)
            {
                return (ConfinedReadStatus.TooLarge, [], $"'{relativePath}' is {length} bytes; the limit is {maxBytes}");
            }

            byte[] content = new byte[length];
            int total = 0;
            while (total < content.Length && RandomAccess.Read(file, content.AsSpan(total), total) is > 0 and var n)
            {
                total += n;
            }

            return (ConfinedReadStatus.Ok, content[..total], string.Empty);
        }
        catch (UnauthorizedAccessException e)
        {
            return (ConfinedReadStatus.AccessDenied, [], e.Message);
        }
        catch (FileNotFoundException)
        {
            return (ConfinedReadStatus.NotFound, [], $"no file '{relativePath}'");
        }
        catch (IOException e)
        {
            return (ConfinedReadStatus.Failed, [], $"cannot read '{relativePath}': {e.Message}");
        }
    }

    /// <inheritdoc />
    public void Dispose() => _root?.Dispose();

    /// <summary>struct open_how (linux/openat2.h).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint syscall(nint number, nint dirfd, nint path, nint how, nint size);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int statx(int dirfd, string path, int flags, uint mask, byte* buffer);
}
