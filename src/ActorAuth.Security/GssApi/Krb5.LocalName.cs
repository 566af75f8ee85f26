using System.Runtime.InteropServices;
using System.Text;

namespace ActorAuth.Security;

internal static unsafe partial class Krb5
{
    /// <summary>KRB5_LNAME_NOTRANS (krb5_err.et): no auth_to_local rule maps the principal.</summary>
    private const int NoTranslation = -1765328227;

    /// <summary>
    /// MIT's own mapping of a principal to a local account name (krb5_aname_to_localname: the realm's
    /// auth_to_local rules in krb5.conf, by default <c>user@DEFAULT.REALM</c> → <c>user</c>). Null when no rule
    /// maps it (another realm, a service principal); the name is not checked against the account database.
    /// </summary>
    /// <exception cref="SecurityPackageException">The principal does not parse, or MIT failed otherwise.</exception>
    public static string? LocalName(string principal)
    {
        using var context = new Context();
        IntPtr parsed = IntPtr.Zero;
        context.Check(krb5_parse_name(context.Handle, principal, &parsed), $"parsing the principal '{principal}'");
        try
        {
            const int size = 256;
            byte* name = stackalloc byte[size];
            int code = krb5_aname_to_localname(context.Handle, parsed, size, name);
            if (code == NoTranslation)
            {
                return null;
            }

            context.Check(code, $"mapping '{principal}' to a local account");
            return Marshal.PtrToStringUTF8((IntPtr)name);
        }
        finally
        {
            krb5_free_principal(context.Handle, parsed);
        }
    }

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int krb5_parse_name(IntPtr context, string name, IntPtr* principal);

    [LibraryImport(LibraryName)]
    private static partial int krb5_aname_to_localname(IntPtr context, IntPtr principal, int size, byte* name);

    [LibraryImport(LibraryName)]
    private static partial void krb5_free_principal(IntPtr context, IntPtr principal);
}
