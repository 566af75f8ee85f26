using ActorAuth.Server.Metrics;
using Akka.Actor;
using Akka.Cluster;
using Microsoft.Extensions.Logging;

namespace ActorAuth.Server.Cluster;

/// <summary>
/// Logs the cluster's membership as this node sees it — joins, ups, leaves, unreachability, downing by the split
/// brain resolver, removals — one line each through the server's logging (Serilog), and keeps the members gauge.
/// </summary>
public sealed class ClusterMembershipLogger : ReceiveActor
{
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly HashSet<Address> _members = [];

    /// <summary>Creates the logger.</summary>
    public ClusterMembershipLogger(ClusterMetrics metrics, ILogger log)
    {
        Receive<ClusterEvent.IMemberEvent>(e =>
        {
            string what = e switch
            {
                ClusterEvent.MemberJoined => "joined",
                ClusterEvent.MemberWeaklyUp => "is weakly up (the cluster has not converged)",
                ClusterEvent.MemberUp => "is up",
                ClusterEvent.MemberLeft => "is leaving",
                ClusterEvent.MemberExited => "exited",
                ClusterEvent.MemberDowned => "was downed",
                ClusterEvent.MemberRemoved removed => $"was removed (it was {removed.PreviousStatus})",
                _ => e.Member.Status.ToString(),
            };
            if (e.Member.Status is MemberStatus.Down or MemberStatus.Removed)
            {
                _members.Remove(e.Member.Address);
            }
            else
            {
                _members.Add(e.Member.Address);
            }

            metrics.SetMembers(_members.Count);
            log.Log(e is ClusterEvent.MemberDowned or ClusterEvent.MemberRemoved ? LogLevel.Warning : LogLevel.Information,
                "Cluster: node {Node}{Self} {What}; {Members} members not down", Describe(e.Member.Address), ThisNode(e.Member.Address), what, _members.Count);
        });
        Receive<ClusterEvent.UnreachableMember>(e =>
            log.LogWarning("Cluster: node {Node} is unreachable; the split brain resolver (keep-majority) downs the minority if it stays so", Describe(e.Member.Address)));
        Receive<ClusterEvent.ReachableMember>(e => log.LogInformation("Cluster: node {Node} is reachable again", Describe(e.Member.Address)));
    }

    /// <summary>Props for the logger.</summary>
    public static Props Props(ClusterMetrics metrics, ILogger log) => Akka.Actor.Props.Create<ClusterMembershipLogger>(metrics, log);

    /// <inheritdoc />
    protected override void PreStart() =>
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));

    /// <inheritdoc />
    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private string ThisNode(Address address) => address.Equals(_cluster.SelfAddress) ? " (this node)" : "";

    private static string Describe(Address address) => $"{address.Host}:{address.Port}";
}
