namespace ActorAuth.Security;

/// <summary>The service keytab as MIT Kerberos finds it: <c>KRB5_KTNAME</c>, else the system default.</summary>
internal static class Keytab
{
    private const string DefaultPath = "/etc/krb5.keytab";

    /// <summary>The keytab file path MIT will read (the FILE:/WRFILE: prefix removed); null for non-file keytabs.</summary>
    public static string? FilePath()
    {
        string name = Environment.GetEnvironmentVariable("KRB5_KTNAME") ?? DefaultPath;
        int colon = name.IndexOf(':');
        if (colon < 0)
        {
            return name;
        }

        string type = name[..colon];
        return type is "FILE" or "WRFILE" ? name[(colon + 1)..] : null;
    }

    /// <summary>Throws a <see cref="SecurityPackageException"/> naming the file and the cause if the keytab cannot be read.</summary>
    public static void EnsureReadable()
    {
        string? path = FilePath();
        if (path is null)
        {
            return;
        }

        try
        {
            using FileStream stream = File.OpenRead(path);
            if (stream.Length == 0)
            {
                throw new SecurityPackageException($"The service keytab '{path}' is empty: it holds no keys for the service principal.");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SecurityPackageException(
                $"The service keytab '{path}' cannot be read ({e.Message}). Set KRB5_KTNAME to the service's keytab before starting the server.", e);
        }
    }
}
