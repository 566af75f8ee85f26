using System.Runtime.InteropServices;

namespace ActorAuth.Security;

/// <summary>
/// The few libkrb5 calls GSSAPI has no equivalent for: copying a keytab into a MEMORY: keytab, and destroying a
/// MEMORY: ticket cache. libkrb5.so.3 is a dependency of libgssapi_krb5.so.2, so it is there wherever GSSAPI is.
/// </summary>
internal static unsafe partial class Krb5
{
    private const string LibraryName = "libkrb5.so.3";

    /// <summary>KRB5_KT_END (krb5_err.et): the cursor has passed the last entry.</summary>
    private const int KeytabEnd = -1765328202;

    /// <summary>Generous room for a krb5_keytab_entry (48 bytes on x86_64 and arm64); MIT fills it, we only pass it on.</summary>
    private const int KeytabEntrySize = 128;

    /// <summary>
    /// Copies every entry (all principals, all key versions) of keytab <paramref name="source"/> into the MEMORY:
    /// keytab <paramref name="destination"/>. MIT frees a MEMORY: keytab when its last handle closes, so the copy
    /// stays open until the caller has acquired the credentials that hold their own handles on it.
    /// </summary>
    /// <exception cref="SecurityPackageException">The source cannot be read (MIT's text).</exception>
    public static MemoryKeytab CopyKeytab(string source, string destination)
    {
        var copy = new MemoryKeytab();
        IntPtr from = IntPtr.Zero, cursor = IntPtr.Zero;
        byte* entry = stackalloc byte[KeytabEntrySize];
        try
        {
            IntPtr context = copy.Context.Handle;
            copy.Context.Check(krb5_kt_resolve(context, source, &from), $"opening the keytab {source}");
            IntPtr to = IntPtr.Zero;
            copy.Context.Check(krb5_kt_resolve(context, destination, &to), $"creating the keytab {destination}");
            copy.Handle = to;
            copy.Context.Check(krb5_kt_start_seq_get(context, from, &cursor), $"reading the keytab {source}");
            while (true)
            {
                new Span<byte>(entry, KeytabEntrySize).Clear();
                int code = krb5_kt_next_entry(context, from, entry, &cursor);
                if (code == KeytabEnd)
                {
                    break;
                }

                copy.Context.Check(code, $"reading the keytab {source}");
                try
                {
                    copy.Context.Check(krb5_kt_add_entry(context, copy.Handle, entry), $"copying the keytab {source} into memory");
                    copy.Entries++;
                }
                finally
                {
                    _ = krb5_free_keytab_entry_contents(context, entry);
                }
            }

            return copy;
        }
        catch
        {
            copy.Dispose();
            throw;
        }
        finally
        {
            if (cursor != IntPtr.Zero)
            {
                _ = krb5_kt_end_seq_get(copy.Context.Handle, from, &cursor);
            }

            if (from != IntPtr.Zero)
            {
                _ = krb5_kt_close(copy.Context.Handle, from);
            }
        }
    }

    /// <summary>
    /// Destroys a MEMORY: ticket cache. MIT keeps one until krb5_cc_destroy, whoever still names it, so without this
    /// each refresh of a client credential would leave its copy of the tickets in the process. Errors are ignored.
    /// </summary>
    public static void DestroyCache(string name)
    {
        using var context = new Context();
        IntPtr cache = IntPtr.Zero;
        if (krb5_cc_resolve(context.Handle, name, &cache) == 0)
        {
            _ = krb5_cc_destroy(context.Handle, cache);
        }
    }

    /// <summary>An open handle on a MEMORY: keytab; closing it drops this handle's reference only.</summary>
    internal sealed class MemoryKeytab : IDisposable
    {
        public IntPtr Handle { get; set; }

        public Context Context { get; } = new();

        /// <summary>Entries copied in.</summary>
        public int Entries { get; set; }

        public void Dispose()
        {
            if (Handle != IntPtr.Zero)
            {
                _ = krb5_kt_close(Context.Handle, Handle);
                Handle = IntPtr.Zero;
            }

            Context.Dispose();
        }
    }

    /// <summary>
    /// A krb5_context: for one operation, or held open by a credential for its whole life. MIT parses krb5.conf
    /// into a tree shared by the contexts open at the time and frees it with the last of them, while GSSAPI makes
    /// and frees a context inside each accept and init: whenever no context is open in between (a lone client,
    /// a quiet server), every handshake reopens and reparses the file. A context held open keeps the parsed tree;
    /// MIT still checks the file's time (at most once a second) and rereads it when it changes.
    /// </summary>
    internal sealed class Context : IDisposable
    {
        public Context()
        {
            IntPtr handle = IntPtr.Zero;
            int code = krb5_init_context(&handle);
            if (code != 0)
            {
                throw new SecurityPackageException($"MIT Kerberos cannot initialise (krb5_init_context: {code}); check KRB5_CONFIG.");
            }

            Handle = handle;
        }

        public IntPtr Handle { get; }

        public void Check(int code, string step)
        {
            if (code == 0)
            {
                return;
            }

            IntPtr text = krb5_get_error_message(Handle, code);
            try
            {
                throw new SecurityPackageException($"MIT Kerberos failed {step}: {Marshal.PtrToStringUTF8(text)} ({code}).");
            }
            finally
            {
                krb5_free_error_message(Handle, text);
            }
        }

        public void Dispose() => krb5_free_context(Handle);
    }

    [LibraryImport(LibraryName)]
    private static partial int krb5_init_context(IntPtr* context);

    [LibraryImport(LibraryName)]
    private static partial void krb5_free_context(IntPtr context);

    [LibraryImport(LibraryName)]
    private static partial IntPtr krb5_get_error_message(IntPtr context, int code);

    [LibraryImport(LibraryName)]
    private static partial void krb5_free_error_message(IntPtr context, IntPtr message);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int krb5_kt_resolve(IntPtr context, string name, IntPtr* keytab);

    [LibraryImport(LibraryName)]
    private static partial int krb5_kt_start_seq_get(IntPtr context, IntPtr keytab, IntPtr* cursor);

    [LibraryImport(LibraryName)]
    private static partial int krb5_kt_next_entry(IntPtr context, IntPtr keytab, byte* entry, IntPtr* cursor);

    [LibraryImport(LibraryName)]
    private static partial int krb5_kt_end_seq_get(IntPtr context, IntPtr keytab, IntPtr* cursor);

    [LibraryImport(LibraryName)]
    private static partial int krb5_kt_add_entry(IntPtr context, IntPtr keytab, byte* entry);

    [LibraryImport(LibraryName)]
    private static partial int krb5_free_keytab_entry_contents(IntPtr context, byte* entry);

    [LibraryImport(LibraryName)]
    private static partial int krb5_kt_close(IntPtr context, IntPtr keytab);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int krb5_cc_resolve(IntPtr context, string name, IntPtr* cache);

    [LibraryImport(LibraryName)]
    private static partial int krb5_cc_destroy(IntPtr context, IntPtr cache);
}
