using System.DirectoryServices.Protocols;

namespace ActorAuth.Directory;

/// <summary>Fills a modification's values in one expression (the type has no constructor that takes them).</summary>
internal static class DirectoryAttributeModificationExtensions
{
    public static DirectoryAttributeModification With(this DirectoryAttributeModification modification, IEnumerable<string> values)
    {
        foreach (var value in values)
        {
            modification.Add(value);
        }

        return modification;
    }
}
