using System.Globalization;
using System.Text;

namespace ActorAuth.Directory;

/// <summary>
/// A service principal name in Active Directory's form, <c>ServiceClass/InstanceName[:InstancePort][/ServiceName]</c>,
/// composed as DsMakeSpn/DsGetSpn compose it and parsed as DsCrackSpn parses it (see <see cref="Make"/>,
/// <see cref="GetHostBased"/> and <see cref="TryParse"/>). Immutable; every instance holds valid components.
/// Equality ignores case, as Active Directory and Kerberos name matching for SPNs do; the original case is kept
/// for display and registration.
/// </summary>
/// <remarks>
/// Decisions where Microsoft's documentation is silent:
/// <list type="bullet">
/// <item>An IPv6 literal instance name is written in brackets (<c>host/[::1]:2000</c>), as in URIs (RFC 3986), so the
/// <c>:</c> before the port stays unambiguous; <see cref="InstanceName"/> holds the bare address.</item>
/// <item>Components are non-empty and contain no <c>/</c> (the separator, as documented), no <c>@</c> (it would
/// start a Kerberos realm), no control characters; the class and the instance contain no whitespace. The service
/// name may contain spaces (a distinguished name such as <c>CN=My Service,DC=corp</c>).</item>
/// <item>A port is 1–65535; <c>:0</c> is refused when parsing because composing never writes it. MS-ADTS also allows
/// a non-numeric <c>:instancename</c> suffix (SQL Server uses it); DsCrackSpn documents the port as numeric, so it is
/// refused with an error that says so.</item>
/// </list>
/// </remarks>
public sealed partial record ServicePrincipalName
{
    private ServicePrincipalName(string serviceClass, string instanceName, ushort instancePort, string? serviceName)
    {
        ServiceClass = serviceClass;
        InstanceName = instanceName;
        InstancePort = instancePort;
        ServiceName = serviceName;
    }

    /// <summary>The service class, for example <c>ldap</c>, <c>http</c> or <c>actorauth</c>; never empty.</summary>
    public string ServiceClass { get; }

    /// <summary>The host: a DNS name, a NetBIOS name or an IP address (an IPv6 address without brackets); never empty.</summary>
    public string InstanceName { get; }

    /// <summary>The port, or 0 when the SPN has none (the service's default port).</summary>
    public ushort InstancePort { get; }

    /// <summary>
    /// The service name component (a replicable service's domain, SRV record or SCP DN; or the referrer of an IP
    /// address instance), or <see langword="null"/> when the SPN has none. Never equal to <see cref="InstanceName"/>
    /// (ignoring case): such a component is dropped, as DsMakeSpn drops it.
    /// </summary>
    public string? ServiceName { get; }

    /// <summary>True when <see cref="InstanceName"/> is an IPv4 or IPv6 address rather than a host name.</summary>
    public bool IsIPAddressInstance => IsIPv4Literal(InstanceName) || IsIPv6Literal(InstanceName);

    /// <summary>
    /// Creates an SPN from its components, validating each one.
    /// </summary>
    /// <param name="serviceClass">The service class.</param>
    /// <param name="instanceName">The host name or IP address (an IPv6 address may be given with or without brackets).</param>
    /// <param name="instancePort">The port; 0 for none.</param>
    /// <param name="serviceName">The service name component; null, empty or equal to the instance name means none.</param>
    /// <exception cref="SpnFormatException">A component is empty or contains a character it may not.</exception>
    public static ServicePrincipalName Create(string serviceClass, string instanceName, ushort instancePort = 0, string? serviceName = null)
    {
        var instance = NormalizeInstance(instanceName);
        ValidateServiceClass(serviceClass);
        var service = string.IsNullOrEmpty(serviceName) || string.Equals(serviceName, instance, StringComparison.OrdinalIgnoreCase) ? null : serviceName;
        if (service is not null)
        {
            ValidateServiceName(service, "service name");
        }

        return new ServicePrincipalName(serviceClass, instance, instancePort, service);
    }

    /// <summary>
    /// Composes an SPN with DsMakeSpn's rules. With no <paramref name="instanceName"/>, <paramref name="serviceName"/>
    /// is the host (a host-based SPN, <c>class/host[:port]</c>); if that host is an IP address, a
    /// <paramref name="referrer"/> (the DNS name of the host that referred the client to the address) becomes the
    /// service name component (<c>class/ip[:port]/referrer</c>) and is otherwise ignored, as documented. With an
    /// <paramref name="instanceName"/>, it is the host and <paramref name="serviceName"/> (a domain, SRV record or DN)
    /// is the third component (<c>class/host[:port]/service</c>), omitted when it equals the host.
    /// </summary>
    /// <param name="serviceClass">The service class, for example <c>actorauth</c>.</param>
    /// <param name="serviceName">The host's DNS or NetBIOS name, or a domain, SRV record name or DN; required, as in DsMakeSpn.</param>
    /// <param name="instanceName">The host's DNS name or IP address when <paramref name="serviceName"/> is not the host; else null.</param>
    /// <param name="instancePort">The port; 0 (the default port) leaves it out.</param>
    /// <param name="referrer">Used only when the host is an IP address: the DNS name of the host that gave the referral.</param>
    /// <exception cref="SpnFormatException">A component is missing, empty or contains a character it may not.</exception>
    public static ServicePrincipalName Make(string serviceClass, string serviceName, string? instanceName = null, ushort instancePort = 0, string? referrer = null)
    {
        if (string.IsNullOrEmpty(serviceName))
        {
            throw new SpnFormatException("The service name is required: it is the host when no instance name is given (DsMakeSpn's ServiceName).");
        }

        if (instanceName is not null)
        {
            return Create(serviceClass, instanceName, instancePort, serviceName);
        }

        var host = NormalizeInstance(serviceName);
        if (referrer is not null && (IsIPv4Literal(host) || IsIPv6Literal(host)))
        {
            ValidateHostName(referrer, "referrer");
            return Create(serviceClass, host, instancePort, referrer);
        }

        return Create(serviceClass, host, instancePort);
    }

    /// <summary>
    /// The host-based SPNs of a service (DsGetSpn with DS_SPN_DNS_HOST): <c>class/name[:port]</c> for
    /// <paramref name="dnsHostName"/> and then for each of <paramref name="otherDnsNames"/>, in order, duplicates
    /// (ignoring case) removed. DNS names only: a name without a dot other than <c>localhost</c> is a NetBIOS or
    /// unqualified name, which need not be unique in a forest, and an IP address is not a host name, so both are
    /// refused (the dev realm's host is <c>localhost</c>, hence the exception).
    /// </summary>
    /// <exception cref="SpnFormatException">The class or a name is invalid, or a name is not a DNS name.</exception>
    public static IReadOnlyList<ServicePrincipalName> GetHostBased(string serviceClass, string dnsHostName, IEnumerable<string> otherDnsNames, ushort port)
    {
        ArgumentNullException.ThrowIfNull(otherDnsNames);
        var spns = new List<ServicePrincipalName>();
        foreach (var name in otherDnsNames.Prepend(dnsHostName))
        {
            ValidateDnsHostName(name);
            var spn = Create(serviceClass, name, port);
            if (!spns.Contains(spn))
            {
                spns.Add(spn);
            }
        }

        return spns;
    }

    /// <summary>The SPN as text: <c>ServiceClass/InstanceName[:InstancePort][/ServiceName]</c>, an IPv6 instance in brackets.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder(ServiceClass).Append('/');
        if (IsIPv6Literal(InstanceName))
        {
            builder.Append('[').Append(InstanceName).Append(']');
        }
        else
        {
            builder.Append(InstanceName);
        }

        if (InstancePort != 0)
        {
            builder.Append(':').Append(InstancePort.ToString(CultureInfo.InvariantCulture));
        }

        if (ServiceName is not null)
        {
            builder.Append('/').Append(ServiceName);
        }

        return builder.ToString();
    }

    /// <summary>True when both SPNs have the same components, ignoring case.</summary>
    public bool Equals(ServicePrincipalName? other) =>
        other is not null
        && string.Equals(ServiceClass, other.ServiceClass, StringComparison.OrdinalIgnoreCase)
        && string.Equals(InstanceName, other.InstanceName, StringComparison.OrdinalIgnoreCase)
        && InstancePort == other.InstancePort
        && string.Equals(ServiceName, other.ServiceName, StringComparison.OrdinalIgnoreCase);

    /// <summary>A hash consistent with the case-insensitive <see cref="Equals(ServicePrincipalName?)"/>.</summary>
    public override int GetHashCode() => HashCode.Combine(
        StringComparer.OrdinalIgnoreCase.GetHashCode(ServiceClass),
        StringComparer.OrdinalIgnoreCase.GetHashCode(InstanceName),
        InstancePort,
        ServiceName is null ? 0 : StringComparer.OrdinalIgnoreCase.GetHashCode(ServiceName));
}
