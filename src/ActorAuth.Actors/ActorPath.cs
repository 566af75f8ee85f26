namespace ActorAuth.Actors;

/// <summary>
/// Where an actor sits in its system's hierarchy, printed as <c>akka://system/user/parent/child</c>.
/// A path is a value: two paths with the same names are equal. An <see cref="IActorRef"/> is not:
/// a name freed by a stopped actor may later belong to a different actor.
/// </summary>
public sealed class ActorPath : IEquatable<ActorPath>
{
    private ActorPath(ActorPath? parent, string name)
    {
        Parent = parent;
        Name = name;
    }

    /// <summary>The enclosing path; <see langword="null"/> only for the root, whose <see cref="Name"/> is the system name.</summary>
    public ActorPath? Parent { get; }

    /// <summary>The last element of the path (the actor's name, unique among its siblings while it lives).</summary>
    public string Name { get; }

    internal static ActorPath Root(string systemName) => new(null, systemName);

    internal ActorPath Child(string name) => new(this, name);

    /// <inheritdoc />
    public bool Equals(ActorPath? other) =>
        other is not null && (ReferenceEquals(this, other) || (Name == other.Name && Equals(Parent, other.Parent)));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ActorPath);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Parent);

    /// <summary>The full path, e.g. <c>akka://auth/user/listener</c>; built on demand so idle actors hold no string.</summary>
    public override string ToString() => Parent is null ? "akka://" + Name : Parent + "/" + Name;
}
