namespace ActorAuth.Cluster.Tests;

/// <summary>Three nodes with cluster-wide limits small enough to reach: two sessions per principal, five connections a second per address.</summary>
public sealed class LimitedNodes : ThreeNodes
{
    /// <summary>The per-address rate (and burst) of every node.</summary>
    public const int Rate = 5;

    /// <inheritdoc />
    protected override string ClusterKeys => "max-sessions-per-principal = 2";

    /// <inheritdoc />
    protected override string ServerKeys => $", limits {{ per-address-rate = {Rate}, per-address-burst = {Rate} }}";
}

/// <summary>The tests that share the limited cluster.</summary>
[CollectionDefinition(Name)]
public sealed class LimitedCollection : ICollectionFixture<LimitedNodes>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "three limited nodes";
}
