using ActorAuth.Testing;
using Xunit;

namespace ActorAuth.Integration.Tests;

/// <summary>Every test that needs the KDC is in this collection, so the realm is created once per run.</summary>
[CollectionDefinition(Name)]
public sealed class RealmCollection : ICollectionFixture<RealmFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "realm";
}
