namespace ActorAuth.Directory;

/// <summary>What the <see cref="DirectoryActor"/> registers and publishes at start-up, and how hard it tries.</summary>
public sealed record DirectorySettings
{
    /// <summary>The SPNs' service class and the SCP's <c>serviceClassName</c>, for example <c>actorauth</c>.</summary>
    public required string ServiceClass { get; init; }

    /// <summary>The host's fully qualified DNS name (or <c>localhost</c> for the dev realm): the first SPN and the SCP's DNS name.</summary>
    public required string DnsHostName { get; init; }

    /// <summary>Other DNS names the host is known by; each gets its own SPN.</summary>
    public IReadOnlyList<string> OtherDnsNames { get; init; } = [];

    /// <summary>The port the service listens on: in the SPNs (0 leaves it out) and the SCP's binding information.</summary>
    public required ushort Port { get; init; }

    /// <summary>
    /// True when the service also answers HTTP Negotiate (an http listener): it then registers <c>HTTP/host</c> for its
    /// DNS name and every alias too, the SPN browsers, curl and HttpClient ask for (portless, as they compose it).
    /// </summary>
    public bool ServesHttp { get; init; }

    /// <summary>The service's GUID, the SCP's first keyword.</summary>
    public required Guid ServiceGuid { get; init; }

    /// <summary>The product name, the SCP's second keyword.</summary>
    public string ProductName { get; init; } = "ActorAuth";

    /// <summary>
    /// On: refuse to start when the directory stays unreachable until <see cref="Deadline"/>. Off: start anyway with
    /// the SPNs the account was last seen holding, and log a warning.
    /// </summary>
    public bool Required { get; init; } = true;

    /// <summary>How long, from the actor's start, to retry an unreachable directory.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The first retry delay; each next one doubles, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan InitialRetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest retry delay.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// What names this instance's SCP among the service's instances on this host (<c>&lt;class&gt;-&lt;host&gt;-&lt;instance&gt;</c>);
    /// null: the port, which already tells instances on one host apart. Each running instance publishes its own SCP.
    /// </summary>
    public string? InstanceName { get; init; }

    /// <summary>Remove the SCP when the actor is told to shut down (AD services leave it in place, so the default is off).</summary>
    public bool RemoveScpOnStop { get; init; }

    /// <summary>
    /// The SPNs the service registers: the host-based forms (DsGetSpn) for its DNS name and every alias, each
    /// without and with the port — as services reached on a non-default port do (SQL Server registers both
    /// MSSQLSvc/host and MSSQLSvc/host:1433) — so a client composing either form by the DsMakeSpn rules finds
    /// a key. The portless form for the DNS host name comes first: it is the name the greeting reports. With
    /// <see cref="ServesHttp"/>, the <c>HTTP</c> forms follow.
    /// </summary>
    public IReadOnlyList<ServicePrincipalName> ComposeSpns() =>
        [.. ServicePrincipalName.GetHostBased(ServiceClass, DnsHostName, OtherDnsNames, 0),
         .. Port == 0 ? [] : ServicePrincipalName.GetHostBased(ServiceClass, DnsHostName, OtherDnsNames, Port),
         .. ServesHttp ? ServicePrincipalName.GetHostBased(HttpServiceClass, DnsHostName, OtherDnsNames, 0) : []];

    /// <summary>The service class of HTTP's SPNs (RFC 4559).</summary>
    public const string HttpServiceClass = "HTTP";

    /// <summary>
    /// This instance's SCP: keywords GUID and product name, DNS name type A, binding <c>host:port</c>, named by
    /// <see cref="InstanceName"/> or the port — so instances on one host (several ports) each keep their own SCP.
    /// </summary>
    public ServiceConnectionPoint ComposeScp() => new(
        [ServiceGuid.ToString("D"), ProductName],
        ServiceClass,
        DnsHostName,
        "A",
        [$"{DnsHostName}:{Port}"])
    {
        InstanceName = InstanceName ?? Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
