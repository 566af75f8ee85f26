namespace ActorAuth.Directory;

/// <summary>
/// The name of an SCP in either backend: <c>&lt;class&gt;-&lt;host&gt;-&lt;instance&gt;</c> for a service instance
/// (the server names its own by its port, or <see cref="DirectorySettings.InstanceName"/>), <c>&lt;class&gt;-&lt;host&gt;</c>
/// when <see cref="ServiceConnectionPoint.InstanceName"/> is null (one SCP per class and host, as earlier versions
/// published). Re-publishing an instance updates the same object, and two instances never overwrite each other's.
/// DNS names, service classes and instance names hold no character that needs escaping in a DN or a file name, and
/// <see cref="Of"/> refuses any that would.
/// </summary>
internal static class ScpNaming
{
    public static string Of(ServiceConnectionPoint scp)
    {
        var name = HostPart(scp.ServiceClassName, scp.ServiceDnsName) + (scp.InstanceName is { } instance ? "-" + instance : "");
        return name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_')
            ? name
            : throw new ArgumentException($"The SCP name '{name}' (service class, DNS name and instance) may only contain letters, digits, '-', '.' and '_'.", nameof(scp));
    }

    /// <summary>
    /// The instance name an SCP called <paramref name="name"/> carries, or null for the one-per-host name (or a name
    /// not made by <see cref="Of"/>): what LDAP reads back from the CN, as the object stores no instance attribute.
    /// </summary>
    public static string? InstanceOf(string name, string serviceClass, string dnsName)
    {
        var prefix = HostPart(serviceClass, dnsName) + "-";
        return name.Length > prefix.Length && name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? name[prefix.Length..] : null;
    }

    private static string HostPart(string serviceClass, string dnsName) => $"{serviceClass}-{dnsName}";
}
