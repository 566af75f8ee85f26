using System.Globalization;
using ActorAuth.Directory;

namespace ActorAuth.Client;

/// <summary>Finding the service through its service connection point, as the seed's client does, then authenticating to it.</summary>
public static partial class ActorAuthClient
{
    /// <summary>
    /// Looks up the one SCP of <paramref name="serviceClass"/> carrying every keyword in <paramref name="keywords"/>, takes
    /// the host and port from the first <c>host:port</c> entry of its binding information, and composes the SPN with
    /// DsMakeSpn's rules, port included: for a DNS name of type A, <c>Make(class, serviceDNSName, instancePort: port)</c> =
    /// <c>class/serviceDNSName:port</c>, the second of the host-based SPNs the service registers (<c>class/host</c> and
    /// <c>class/host:port</c>, <see cref="DirectorySettings.ComposeSpns"/>); for type SRV (a replicable service),
    /// <c>Make(class, serviceDNSName, instanceName: host, port)</c> = <c>class/host:port/serviceDNSName</c>.
    /// </summary>
    /// <remarks>
    /// Why the form with port: the seed's client composes it from the SCP's port, and two instances on one host may
    /// run as different accounts, which only the port tells apart. MIT imports <c>class/host:port</c> as the
    /// host-based name <c>class@host:port</c> and keeps the port in the principal it asks the KDC for (tested).
    /// </remarks>
    /// <param name="directory">Where the SCPs are published.</param>
    /// <param name="serviceClass">The service class, for example <c>actorauth</c>: the SCP's <c>serviceClassName</c> and the SPN's class.</param>
    /// <param name="keywords">Keywords the SCP must carry (the service's GUID picks one instance); null or empty: any of the class.</param>
    /// <param name="cancellationToken">Cancels the directory search.</param>
    /// <exception cref="ActorAuthClientException"><see cref="ClientFailure.ServiceNotFound"/>: no SCP matches, several do, or the one that does names no usable host, port or DNS name.</exception>
    /// <exception cref="DirectoryUnavailableException">The directory cannot be reached.</exception>
    public static async Task<DiscoveredService> DiscoverAsync(
        IDirectoryBackend directory, string serviceClass, IReadOnlyList<string>? keywords, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceClass);
        keywords ??= [];
        IReadOnlyList<ServiceConnectionPoint> found = await directory.FindScpsAsync(serviceClass, keywords, cancellationToken).ConfigureAwait(false);
        string wanted = $"of class '{serviceClass}' with keywords [{string.Join(", ", keywords)}]";
        ServiceConnectionPoint scp = found.Count switch
        {
            1 => found[0],
            0 => throw new ActorAuthClientException(ClientFailure.ServiceNotFound,
                $"The directory has no service connection point {wanted}: is the service running with a directory backend, and are the class and keywords right?"),
            _ => throw new ActorAuthClientException(ClientFailure.ServiceNotFound,
                $"The directory has {found.Count} service connection points {wanted} ({string.Join("; ", found.Select(Describe))}); "
                + "add a keyword that picks one, such as the service's GUID."),
        };

        (string host, ushort port) = Binding(scp);
        try
        {
            ServicePrincipalName spn = string.Equals(scp.ServiceDnsNameType, "SRV", StringComparison.OrdinalIgnoreCase)
                ? ServicePrincipalName.Make(serviceClass, scp.ServiceDnsName, instanceName: host, instancePort: port)
                : ServicePrincipalName.Make(serviceClass, scp.ServiceDnsName, instancePort: port);
            return new DiscoveredService(host, port, spn, scp);
        }
        catch (SpnFormatException e)
        {
            throw new ActorAuthClientException(ClientFailure.ServiceNotFound, $"The service connection point {Describe(scp)} cannot name an SPN: {e.Message}", e);
        }
    }

    /// <summary>Authenticates to a discovered service: connects to its host and port and requires it to prove its <see cref="DiscoveredService.Spn"/>.</summary>
    /// <exception cref="ActorAuthClientException">Connecting or authenticating failed; <see cref="ActorAuthClientException.Failure"/> says why.</exception>
    public static Task<AuthenticatedChannel> ConnectAsync(DiscoveredService service, ActorAuthClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(service);
        return ConnectAsync(service.Host, service.Port, service.Spn.ToString(), options, cancellationToken);
    }

    /// <summary>
    /// <see cref="DiscoverAsync"/>, then <see cref="ConnectAsync(DiscoveredService, ActorAuthClientOptions?, CancellationToken)"/>:
    /// finds the service through its SCP alone and authenticates with mutual authentication required, so a server that
    /// cannot prove the composed SPN is refused.
    /// </summary>
    /// <exception cref="ActorAuthClientException">Discovery (<see cref="ClientFailure.ServiceNotFound"/>), connecting or authenticating failed.</exception>
    /// <exception cref="DirectoryUnavailableException">The directory cannot be reached.</exception>
    public static async Task<AuthenticatedChannel> ConnectDiscoveredAsync(
        IDirectoryBackend directory, string serviceClass, IReadOnlyList<string>? keywords, ActorAuthClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        DiscoveredService service = await DiscoverAsync(directory, serviceClass, keywords, cancellationToken).ConfigureAwait(false);
        return await ConnectAsync(service, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The first binding entry that is <c>host:port</c> (an IPv6 host in brackets); AD allows other forms (URLs), which are skipped.</summary>
    private static (string Host, ushort Port) Binding(ServiceConnectionPoint scp)
    {
        foreach (string entry in scp.ServiceBindingInformation)
        {
            int colon = entry.LastIndexOf(':');
            if (colon <= 0 || !ushort.TryParse(entry.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out ushort port) || port == 0)
            {
                continue;
            }

            string host = entry[..colon];
            bool bracketed = host.StartsWith('[') && host.EndsWith(']');
            host = bracketed ? host[1..^1] : host;

            // An IPv6 address without brackets cannot be told apart from its port, so it does not count.
            if (host.Length > 0 && (bracketed || !host.Contains(':', StringComparison.Ordinal)))
            {
                return (host, port);
            }
        }

        throw new ActorAuthClientException(ClientFailure.ServiceNotFound,
            $"The service connection point {Describe(scp)} has no binding information of the form host:port (it has [{string.Join(", ", scp.ServiceBindingInformation)}]).");
    }

    private static string Describe(ServiceConnectionPoint scp) =>
        $"{scp.DistinguishedName ?? $"{scp.ServiceClassName} on {scp.ServiceDnsName}"} at {string.Join(" ", scp.ServiceBindingInformation)}";
}
