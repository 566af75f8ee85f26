namespace ActorAuth.Cluster.Tests;

/// <summary>The tests that share one three-node cluster (they run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ThreeNodes>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "three nodes";
}
