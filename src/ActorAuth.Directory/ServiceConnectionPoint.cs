namespace ActorAuth.Directory;

/// <summary>
/// A service connection point: where clients find a service instance, as Active Directory's
/// <c>serviceConnectionPoint</c> object describes it. <see cref="Keywords"/> holds the service's GUID and product name
/// (clients search by them); <see cref="ServiceBindingInformation"/> holds <c>host:port</c> entries to connect to.
/// </summary>
/// <param name="Keywords">Search keywords: the service GUID (in "D" format) and the product name, for example "ActorAuth".</param>
/// <param name="ServiceClassName">The service class, the same as the SPNs' (for example <c>actorauth</c>).</param>
/// <param name="ServiceDnsName">The DNS name clients use: the host's (type A) or an SRV record's (type SRV).</param>
/// <param name="ServiceDnsNameType"><c>A</c> or <c>SRV</c>: what <paramref name="ServiceDnsName"/> names.</param>
/// <param name="ServiceBindingInformation">Where to connect: <c>host:port</c> entries.</param>
/// <param name="DistinguishedName">The object's DN in the directory; null in the dev realm's file store.</param>
/// <remarks>
/// Several SCPs with the same class and keywords are instances of one service (Active Directory's model: "each
/// object found is an instance of the service"); <see cref="InstanceName"/> tells instances on one host apart.
/// </remarks>
public sealed record ServiceConnectionPoint(
    IReadOnlyList<string> Keywords,
    string ServiceClassName,
    string ServiceDnsName,
    string ServiceDnsNameType,
    IReadOnlyList<string> ServiceBindingInformation,
    string? DistinguishedName = null)
{
    /// <summary>
    /// What tells this instance from others of its class on the same host — the server uses its port — and part of
    /// the SCP's name (<c>&lt;class&gt;-&lt;host&gt;-&lt;instance&gt;</c>); null for one SCP per class and host.
    /// </summary>
    public string? InstanceName { get; init; }

    /// <summary>True when every keyword in <paramref name="keywords"/> is among <see cref="Keywords"/>, ignoring case (as AD's keyword matching does).</summary>
    public bool HasKeywords(IEnumerable<string> keywords) =>
        keywords.All(keyword => Keywords.Contains(keyword, StringComparer.OrdinalIgnoreCase));

    /// <summary>Record equality compares lists by reference; this compares the content, which is what "already published" means.</summary>
    public bool SameContentAs(ServiceConnectionPoint other) =>
        Keywords.SequenceEqual(other.Keywords, StringComparer.Ordinal)
        && ServiceClassName == other.ServiceClassName
        && ServiceDnsName == other.ServiceDnsName
        && ServiceDnsNameType == other.ServiceDnsNameType
        && InstanceName == other.InstanceName
        && ServiceBindingInformation.SequenceEqual(other.ServiceBindingInformation, StringComparer.Ordinal);
}
