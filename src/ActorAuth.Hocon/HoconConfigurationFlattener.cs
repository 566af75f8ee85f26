using Microsoft.Extensions.Configuration;

namespace ActorAuth.Hocon;

/// <summary>Maps a resolved tree to Microsoft.Extensions.Configuration's flat <c>a:b:0</c> keys.</summary>
internal static class HoconConfigurationFlattener
{
    /// <summary>
    /// Flattens <paramref name="root"/>: object fields join with ':', array elements use their index,
    /// scalars keep their text (HOCON null becomes a null value). Empty objects and arrays produce a
    /// null entry, as the JSON provider does, so the section still exists.
    /// </summary>
    public static Dictionary<string, string?> Flatten(HoconObject root)
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var originalKeys = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in root.Fields)
        {
            Visit(key, key, value, data, originalKeys);
        }

        return data;
    }

    private static void Visit(string key, string hoconPath, HoconValue value, Dictionary<string, string?> data, Dictionary<string, string> originalKeys)
    {
        switch (value)
        {
            case HoconObject { Fields.Count: > 0 } obj:
                foreach (var (childKey, child) in obj.Fields)
                {
                    Visit(key + ConfigurationPath.KeyDelimiter + childKey, hoconPath + "." + childKey, child, data, originalKeys);
                }

                break;
            case HoconArray { Items.Count: > 0 } array:
                for (var i = 0; i < array.Items.Count; i++)
                {
                    Visit(key + ConfigurationPath.KeyDelimiter + i, hoconPath + "." + i, array.Items[i], data, originalKeys);
                }

                break;
            default:
                // IConfiguration ignores case, so `Port` and `port` would silently overwrite each other.
                if (originalKeys.TryGetValue(key, out var other) && other != hoconPath)
                {
                    throw new HoconException(value.Position, $"the settings '{other}' and '{hoconPath}' differ only in letter case, which configuration keys ignore; rename one of them");
                }

                originalKeys[key] = hoconPath;
                data[key] = value is HoconScalar { Kind: not HoconScalarKind.Null } scalar ? scalar.Value : null;
                break;
        }
    }
}
