using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace ActorAuth.Directory;

/// <summary>Parsing, as DsCrackSpn does: <c>class/instance[:port][/service]</c>, the class and instance required.</summary>
public sealed partial record ServicePrincipalName
{
    /// <summary>
    /// Parses an SPN such as <c>actorauth/host.example.com:2000</c>, <c>ldap/dc1.corp.example/corp.example</c> or
    /// <c>actorauth/[::1]:2000</c>. Case is kept. The result's <see cref="ToString"/> equals the input except that a
    /// service name equal to the instance name is dropped.
    /// </summary>
    /// <param name="value">The SPN text.</param>
    /// <param name="spn">The parsed SPN, or null when the text is not one.</param>
    /// <param name="error">Why the text is not an SPN, naming the component; null on success.</param>
    public static bool TryParse(string? value, [NotNullWhen(true)] out ServicePrincipalName? spn, [NotNullWhen(false)] out string? error)
    {
        try
        {
            spn = Parse(value);
            error = null;
            return true;
        }
        catch (SpnFormatException e)
        {
            spn = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>Parses an SPN (see <see cref="TryParse"/>).</summary>
    /// <exception cref="SpnFormatException">The text is not an SPN; the message names the component at fault.</exception>
    public static ServicePrincipalName Parse(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new SpnFormatException("The SPN is empty.");
        }

        var firstSlash = value.IndexOf('/', StringComparison.Ordinal);
        if (firstSlash < 0)
        {
            throw new SpnFormatException($"'{value}' has no '/': an SPN is class/instance[:port][/service].");
        }

        var serviceClass = value[..firstSlash];
        if (serviceClass.Length == 0)
        {
            throw new SpnFormatException($"'{value}' has an empty service class.");
        }

        var rest = value[(firstSlash + 1)..];
        var unbracketed = rest.Split('/')[0];
        if (IsIPv6Literal(unbracketed))
        {
            throw new SpnFormatException($"'{value}' has the IPv6 instance '{unbracketed}' without brackets; write it as [{unbracketed}].");
        }

        // An IPv6 literal is bracketed, so the instance ends at the ']' and only then may ':' or '/' follow.
        var instanceEnd = rest.StartsWith('[') ? rest.IndexOf(']', StringComparison.Ordinal) + 1 : rest.IndexOfAny([':', '/']);
        if (rest.StartsWith('[') && instanceEnd == 0)
        {
            throw new SpnFormatException($"'{value}' opens an IPv6 instance with '[' but never closes it.");
        }

        if (instanceEnd < 0)
        {
            instanceEnd = rest.Length;
        }

        var instance = rest[..instanceEnd];
        rest = rest[instanceEnd..];

        ushort port = 0;
        if (rest.StartsWith(':'))
        {
            var portEnd = rest.IndexOf('/', StringComparison.Ordinal);
            var portText = portEnd < 0 ? rest[1..] : rest[1..portEnd];
            port = ParsePort(portText, value);
            rest = portEnd < 0 ? string.Empty : rest[portEnd..];
        }

        string? serviceName = null;
        if (rest.Length > 0)
        {
            if (!rest.StartsWith('/'))
            {
                throw new SpnFormatException($"'{value}' has '{rest}' after the instance name, where ':port' or '/service' belongs.");
            }

            serviceName = rest[1..];
            if (serviceName.Length == 0)
            {
                throw new SpnFormatException($"'{value}' ends with '/' but has no service name.");
            }
        }

        return Create(serviceClass, instance, port, serviceName);
    }

    private static ushort ParsePort(string text, string spn)
    {
        if (text.Length == 0)
        {
            throw new SpnFormatException($"'{spn}' has ':' but no port number.");
        }

        if (!text.All(char.IsAsciiDigit))
        {
            throw new SpnFormatException(
                $"'{spn}' has the port '{text}', which is not a number (the MS-ADTS ':instancename' form is not supported; DsCrackSpn requires a numeric port).");
        }

        return ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port != 0
            ? port
            : throw new SpnFormatException($"'{spn}' has the port {text}, outside 1–65535.");
    }
}
