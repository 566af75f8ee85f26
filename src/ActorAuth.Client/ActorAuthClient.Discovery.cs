using System.Globalization;
using ActorAuth.Directory;

namespace ActorAuth.Client;

/// <summary>Finding the service's instances through their service connection points, as the seed's client does, then authenticating to one.</summary>
public static partial class ActorAuthClient
{
    /// <summary>
    /// Looks up every SCP of <paramref name="serviceClass"/> carrying every keyword in <paramref name="keywords"/>: each
    /// is an instance of the service (how Active Directory's SCP clients read a search). From each it takes the host and
    /// port of the first <c>host:port</c> entry of its binding information and composes the instance's SPN with
    /// DsMakeSpn's rules, port included: for a DNS name of type A, <c>Make(class, serviceDNSName, instancePort: port)</c> =
    /// <c>class/serviceDNSName:port</c>, the second of the host-based SPNs each instance registers (<c>class/host</c> and
    /// <c>class/host:port</c>, <see cref="DirectorySettings.ComposeSpns"/>); for type SRV (a replicable service),
    /// <c>Make(class, serviceDNSName, instanceName: host, port)</c> = <c>class/host:port/serviceDNSName</c>.
    /// </summary>
    /// <remarks>
    /// Why the form with port: the seed's client composes it from the SCP's port, and two instances on one host may
    /// run as different accounts, which only the port tells apart. Instances of one service on one account share its
    /// keys whatever the SPN: in Active Directory every SPN of an account maps to the account's keys, and in the dev
    /// realm every instance's principals are in the service keytab. MIT imports <c>class/host:port</c> as the
    /// host-based name <c>class@host:port</c> and keeps the port in the principal it asks the KDC for (tested).
    /// An SCP without a usable binding or DNS name is skipped; two naming the same host and port are one instance.
    /// </remarks>
    /// <param name="directory">Where the SCPs are published.</param>
    /// <param name="serviceClass">The service class, for example <c>actorauth</c>: the SCP's <c>serviceClassName</c> and the SPN's class.</param>
    /// <param name="keywords">Keywords the SCPs must carry (the service's GUID picks one service); null or empty: any of the class.</param>
    /// <param name="cancellationToken">Cancels the directory search.</param>
    /// <exception cref="ActorAuthClientException"><see cref="ClientFailure.ServiceNotFound"/>: no SCP matches, or none that does names a usable host, port and DNS name.</exception>
    /// <exception cref="DirectoryUnavailableException">The directory cannot be reached.</exception>
    public static async Task<ServiceInstances> DiscoverAllAsync(
        IDirectoryBackend directory, string serviceClass, IReadOnlyList<string>? keywords, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceClass);
        keywords ??= [];
        IReadOnlyList<ServiceConnectionPoint> found = await directory.FindScpsAsync(serviceClass, keywords, cancellationToken).ConfigureAwait(false);
        string wanted = $"of class '{serviceClass}' with keywords [{string.Join(", ", keywords)}]";
        if (found.Count == 0)
        {
            throw new ActorAuthClientException(ClientFailure.ServiceNotFound,
                $"The directory has no service connection point {wanted}: is the service running with a directory backend, and are the class and keywords right?");
        }

        var instances = new List<DiscoveredService>();
        var unusable = new List<string>();
        foreach (ServiceConnectionPoint scp in found)
        {
            if (Instance(scp, serviceClass, out string? problem) is DiscoveredService instance)
            {
                instances.Add(instance);
            }
            else
            {
                unusable.Add(problem!);
            }
        }

        return instances.Count > 0
            ? new ServiceInstances(wanted, instances)
            : throw new ActorAuthClientException(ClientFailure.ServiceNotFound,
                $"No service connection point {wanted} is usable: {string.Join("; ", unusable)}");
    }

    /// <summary>Authenticates to a discovered service: connects to its host and port and requires it to prove its <see cref="DiscoveredService.Spn"/>.</summary>
    /// <exception cref="ActorAuthClientException">Connecting or authenticating failed; <see cref="ActorAuthClientException.Failure"/> says why.</exception>
    public static Task<AuthenticatedChannel> ConnectAsync(DiscoveredService service, ActorAuthClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(service);
        return ConnectAsync(service.Host, service.Port, service.Spn.ToString(), options, cancellationToken);
    }

    /// <summary>
    /// Authenticates to one of <paramref name="instances"/>, spread and failed over as <see cref="ServiceInstances"/>
    /// describes: each attempt is a full connection with its own context, mutual authentication required, limited by
    /// <see cref="ActorAuthClientOptions.ConnectTimeout"/> (connect) and <see cref="ActorAuthClientOptions.HandshakeTimeout"/>.
    /// The channel's <see cref="AuthenticatedChannel.Instance"/> and <see cref="AuthenticatedChannel.SkippedInstances"/> say where it went.
    /// </summary>
    /// <exception cref="ActorAuthClientException">Every instance failed (each attempt in the message and <see cref="ActorAuthClientException.Attempts"/>), or the client's own credentials were rejected.</exception>
    public static async Task<AuthenticatedChannel> ConnectAsync(ServiceInstances instances, ActorAuthClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instances);
        InstanceConnection<AuthenticatedChannel> connected = await instances.ConnectAnyAsync(
            (instance, token) => ConnectAsync(instance, options, token), cancellationToken).ConfigureAwait(false);
        connected.Value.Instance = connected.Instance;
        connected.Value.SkippedInstances = connected.Failed;
        return connected.Value;
    }

    /// <summary>
    /// <see cref="DiscoverAllAsync"/>, then <see cref="ConnectAsync(ServiceInstances, ActorAuthClientOptions?, CancellationToken)"/>:
    /// finds the service's instances through their SCPs alone and authenticates to one, with mutual authentication
    /// required, so a server that cannot prove its instance's composed SPN is refused (and the next instance tried).
    /// </summary>
    /// <exception cref="ActorAuthClientException">Discovery (<see cref="ClientFailure.ServiceNotFound"/>), or every instance, failed.</exception>
    /// <exception cref="DirectoryUnavailableException">The directory cannot be reached.</exception>
    public static async Task<AuthenticatedChannel> ConnectDiscoveredAsync(
        IDirectoryBackend directory, string serviceClass, IReadOnlyList<string>? keywords, ActorAuthClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        ServiceInstances instances = await DiscoverAllAsync(directory, serviceClass, keywords, cancellationToken).ConfigureAwait(false);
        return await ConnectAsync(instances, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The instance <paramref name="scp"/> describes, or null with the reason it describes none.</summary>
    private static DiscoveredService? Instance(ServiceConnectionPoint scp, string serviceClass, out string? problem)
    {
        problem = null;
        if (Binding(scp) is not (string host, ushort port))
        {
            problem = $"{Describe(scp)} has no binding information of the form host:port (it has [{string.Join(", ", scp.ServiceBindingInformation)}])";
            return null;
        }

        try
        {
            ServicePrincipalName spn = string.Equals(scp.ServiceDnsNameType, "SRV", StringComparison.OrdinalIgnoreCase)
                ? ServicePrincipalName.Make(serviceClass, scp.ServiceDnsName, instanceName: host, instancePort: port)
                : ServicePrincipalName.Make(serviceClass, scp.ServiceDnsName, instancePort: port);
            return new DiscoveredService(host, port, spn, scp);
        }
        catch (SpnFormatException e)
        {
            problem = $"{Describe(scp)} cannot name an SPN: {e.Message}";
            return null;
        }
    }

    /// <summary>The first binding entry that is <c>host:port</c> (an IPv6 host in brackets); AD allows other forms (URLs), which are skipped. Null if there is none.</summary>
    private static (string Host, ushort Port)? Binding(ServiceConnectionPoint scp)
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

        return null;
    }

    private static string Describe(ServiceConnectionPoint scp) =>
        $"{scp.DistinguishedName ?? $"{scp.ServiceClassName} on {scp.ServiceDnsName}"} at {string.Join(" ", scp.ServiceBindingInformation)}";
}
