namespace ActorAuth.Directory;

/// <summary>
/// The name of a service's SCP in either backend: one SCP per service class and host, so re-publishing updates the
/// same object and two hosts never overwrite each other's. DNS names and service classes hold no character that
/// needs escaping in a DN or a file name, and <see cref="Of"/> refuses any that would.
/// </summary>
internal static class ScpNaming
{
    public static string Of(ServiceConnectionPoint scp)
    {
        var name = $"{scp.ServiceClassName}-{scp.ServiceDnsName}";
        return name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_')
            ? name
            : throw new ArgumentException($"The SCP name '{name}' (service class and DNS name) may only contain letters, digits, '-', '.' and '_'.", nameof(scp));
    }
}
