using System.Net;
using System.Net.Sockets;

namespace ActorAuth.Directory;

/// <summary>The component rules shared by composing and parsing (see the remarks on <see cref="ServicePrincipalName"/>).</summary>
public sealed partial record ServicePrincipalName
{
    private const int MaxDnsNameLength = 253;
    private const int MaxDnsLabelLength = 63;

    /// <summary>True for a dotted-quad IPv4 address; <see cref="IPAddress.TryParse(string, out IPAddress)"/> alone also takes "1" or "127.1".</summary>
    private static bool IsIPv4Literal(string value) =>
        value.Split('.') is { Length: 4 } parts
        && parts.All(part => part.Length is > 0 and <= 3 && part.All(char.IsAsciiDigit))
        && IPAddress.TryParse(value, out var address) && address.AddressFamily == AddressFamily.InterNetwork;

    /// <summary>True for a bare IPv6 address; the brackets are refused because IPAddress.TryParse would take "[::1]" too.</summary>
    private static bool IsIPv6Literal(string value) =>
        value.Contains(':', StringComparison.Ordinal) && !value.StartsWith('[')
        && IPAddress.TryParse(value, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>Validates an instance name and strips the brackets of an IPv6 literal, so the property holds the bare address.</summary>
    private static string NormalizeInstance(string? instanceName)
    {
        if (string.IsNullOrEmpty(instanceName))
        {
            throw new SpnFormatException("The instance name (host) is empty.");
        }

        if (instanceName.StartsWith('[') && instanceName.EndsWith(']'))
        {
            var inner = instanceName[1..^1];
            return IsIPv6Literal(inner)
                ? inner
                : throw new SpnFormatException($"The instance name '{instanceName}' is in brackets but is not an IPv6 address.");
        }

        if (IsIPv6Literal(instanceName))
        {
            return instanceName;
        }

        ValidateHostName(instanceName, "instance name");
        return instanceName;
    }

    private static void ValidateServiceClass(string? serviceClass)
    {
        if (string.IsNullOrEmpty(serviceClass))
        {
            throw new SpnFormatException("The service class is empty.");
        }

        ValidateCharacters(serviceClass, "service class", allowSpace: false);
        if (serviceClass.Contains(':', StringComparison.Ordinal))
        {
            throw new SpnFormatException($"The service class '{serviceClass}' contains ':', which only separates a port.");
        }
    }

    /// <summary>A host name (DNS or NetBIOS) or IPv4 address: no separators, no whitespace.</summary>
    private static void ValidateHostName(string? host, string component)
    {
        if (string.IsNullOrEmpty(host))
        {
            throw new SpnFormatException($"The {component} is empty.");
        }

        ValidateCharacters(host, component, allowSpace: false);
        if (host.IndexOfAny([':', '[', ']']) >= 0)
        {
            throw new SpnFormatException($"The {component} '{host}' contains ':', '[' or ']'; only an IPv6 address may, and it is written in brackets.");
        }
    }

    private static void ValidateServiceName(string serviceName, string component)
    {
        ValidateCharacters(serviceName, component, allowSpace: true);
        if (serviceName != serviceName.Trim())
        {
            throw new SpnFormatException($"The {component} '{serviceName}' starts or ends with whitespace.");
        }
    }

    /// <summary>
    /// A DNS host name as DsGetSpn's DS_SPN_DNS_HOST expects: dotted labels of letters, digits, '-' and '_'
    /// (the underscore appears in real AD host names), or <c>localhost</c>; not an IP address, not a bare NetBIOS name.
    /// </summary>
    private static void ValidateDnsHostName(string? name)
    {
        ValidateHostName(name, "DNS host name");
        if (IsIPv4Literal(name!))
        {
            throw new SpnFormatException($"'{name}' is an IP address; host-based SPNs name the host by its DNS name.");
        }

        if (!name!.Contains('.', StringComparison.Ordinal) && !string.Equals(name, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            throw new SpnFormatException($"'{name}' has no dot: it is a NetBIOS or unqualified name, and host-based SPNs use fully qualified DNS names only.");
        }

        if (name.Length > MaxDnsNameLength)
        {
            throw new SpnFormatException($"The DNS host name '{name}' is longer than {MaxDnsNameLength} characters.");
        }

        foreach (var label in name.Split('.'))
        {
            if (label.Length is 0 or > MaxDnsLabelLength || label.StartsWith('-') || label.EndsWith('-')
                || !label.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                throw new SpnFormatException(
                    $"The DNS host name '{name}' has an invalid label '{label}': use 1–{MaxDnsLabelLength} letters, digits, '-' or '_', not starting or ending with '-'.");
            }
        }
    }

    private static void ValidateCharacters(string value, string component, bool allowSpace)
    {
        foreach (var c in value)
        {
            if (c == '/')
            {
                throw new SpnFormatException($"The {component} '{value}' contains '/', which separates SPN components.");
            }

            if (c == '@')
            {
                throw new SpnFormatException($"The {component} '{value}' contains '@', which would start a Kerberos realm.");
            }

            if (char.IsControl(c) || (char.IsWhiteSpace(c) && !(allowSpace && c == ' ')))
            {
                throw new SpnFormatException($"The {component} '{value}' contains whitespace or a control character (U+{(int)c:X4}).");
            }
        }
    }
}
