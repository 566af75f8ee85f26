using System.Runtime.InteropServices;

namespace ActorAuth.Security.Impersonation;

/// <summary>A local (Unix) account an authenticated principal maps to: what the kernel checks file access against.</summary>
/// <param name="Name">The account name, e.g. <c>alice</c>.</param>
/// <param name="Uid">Its user id.</param>
/// <param name="Gid">Its primary group.</param>
/// <param name="Groups">Every group it is in, the primary one included (getgrouplist).</param>
public sealed partial record LocalAccount(string Name, uint Uid, uint Gid, uint[] Groups)
{
    /// <summary>
    /// The account <paramref name="principal"/> maps to under MIT's auth_to_local rules (krb5.conf), looked up in
    /// the system's account database (NSS: /etc/passwd, LDAP, sssd …). Null, with <paramref name="reason"/>, when
    /// no rule maps the principal or the mapped name has no account.
    /// </summary>
    public static LocalAccount? Find(string principal, out string reason)
    {
        string? name = Krb5.LocalName(principal);
        if (name is null)
        {
            reason = $"no auth_to_local rule maps {principal} to a local account";
            return null;
        }

        if (Passwd.Find(name) is not { } account)
        {
            reason = $"{principal} maps to '{name}', which has no local account";
            return null;
        }

        reason = string.Empty;
        return account;
    }

    /// <summary>getpwnam_r and getgrouplist from glibc.</summary>
    private static unsafe partial class Passwd
    {
        /// <summary>struct passwd on glibc (x86_64 and arm64): name, passwd, uid, gid, gecos, dir, shell.</summary>
        [StructLayout(LayoutKind.Sequential)]
        private struct Entry
        {
            public IntPtr Name;
            public IntPtr Password;
            public uint Uid;
            public uint Gid;
            public IntPtr Gecos;
            public IntPtr Directory;
            public IntPtr Shell;
        }

        public static LocalAccount? Find(string name)
        {
            Entry entry;
            Entry* found = null;
            byte[] buffer = new byte[16 * 1024];
            fixed (byte* b = buffer)
            {
                int error = getpwnam_r(name, &entry, b, (nuint)buffer.Length, &found);
                if (error != 0 || found == null)
                {
                    return null;
                }
            }

            int count = 64;
            while (true)
            {
                uint[] groups = new uint[count];
                int n = count;
                fixed (uint* g = groups)
                {
                    if (getgrouplist(name, entry.Gid, g, &n) >= 0)
                    {
                        return new LocalAccount(name, entry.Uid, entry.Gid, groups[..n]);
                    }
                }

                count = Math.Max(n, count * 2); // n says how many there are
            }
        }

        [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
        private static partial int getpwnam_r(string name, Entry* entry, byte* buffer, nuint size, Entry** result);

        [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
        private static partial int getgrouplist(string user, uint group, uint* groups, int* count);
    }
}
