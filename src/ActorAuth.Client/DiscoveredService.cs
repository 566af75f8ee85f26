using ActorAuth.Directory;

namespace ActorAuth.Client;

/// <summary>
/// One service instance found through its service connection point: where to connect and the SPN it must prove.
/// </summary>
/// <param name="Host">The host to connect to, from the SCP's binding information (an IPv6 address without brackets).</param>
/// <param name="Port">The TCP port, from the same binding information entry.</param>
/// <param name="Spn">The SPN composed by DsMakeSpn's rules (see <see cref="ActorAuthClient.DiscoverAllAsync"/>); the client authenticates to exactly this name.</param>
/// <param name="Scp">The SCP it was found through.</param>
public sealed record DiscoveredService(string Host, int Port, ServicePrincipalName Spn, ServiceConnectionPoint Scp);
