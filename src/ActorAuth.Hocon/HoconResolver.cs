using System.Text;

namespace ActorAuth.Hocon;

/// <summary>
/// Replaces substitutions with their values after the whole document (with includes) is merged.
/// Values are resolved lazily and memoized per node, so a substitution only resolves the part of the
/// tree it points at (<c>bar { foo = 42, baz = ${bar.foo} }</c> works) and true cycles are detected.
/// </summary>
internal sealed class HoconResolver
{
    private readonly HoconObject _root;
    private readonly Func<string, string?> _environment;

    // "Shallow" = the value's type is known; nested fields/elements may still be unresolved.
    private readonly Dictionary<HoconValue, HoconValue?> _shallow = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<HoconValue, HoconValue> _full = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<HoconValue> _inProgress = new(ReferenceEqualityComparer.Instance);
    private readonly List<HoconValue> _stack = [];

    private HoconResolver(HoconObject root, Func<string, string?> environment)
    {
        _root = root;
        _environment = environment;
    }

    /// <summary>Resolves every substitution in <paramref name="root"/>, falling back to <paramref name="environment"/> for missing paths.</summary>
    public static HoconObject Resolve(HoconObject root, Func<string, string?> environment) =>
        (HoconObject)new HoconResolver(root, environment).Full(root)!;

    /// <summary>Fully resolves a value; null means "undefined" (an optional substitution with no target).</summary>
    private HoconValue? Full(HoconValue node)
    {
        if (node is not HoconSubstitution)
        {
            return FullOf(node);
        }

        // Recorded so that a cycle through an object or array can name the substitution that closes it.
        _stack.Add(node);
        try
        {
            return FullOf(node);
        }
        finally
        {
            _stack.RemoveAt(_stack.Count - 1);
        }
    }

    private HoconValue? FullOf(HoconValue node)
    {
        var shallow = Shallow(node);
        if (shallow is null or HoconScalar)
        {
            return shallow;
        }

        if (_full.TryGetValue(shallow, out var done))
        {
            return done;
        }

        Enter(shallow);
        try
        {
            HoconValue result;
            if (shallow is HoconArray array)
            {
                result = new HoconArray([.. array.Items.Select(Full).OfType<HoconValue>()], array.Position);
            }
            else
            {
                var source = (HoconObject)shallow;
                var obj = new HoconObject(source.Position);
                foreach (var (key, value) in source.Fields)
                {
                    if (Full(value) is { } resolved)
                    {
                        obj.Set(key, resolved);
                    }
                }

                result = obj;
            }

            _full[shallow] = result;
            return result;
        }
        finally
        {
            Leave(shallow);
        }
    }

    private HoconValue? Shallow(HoconValue node)
    {
        if (!HoconMerge.IsUnresolved(node))
        {
            return node;
        }

        if (_shallow.TryGetValue(node, out var done))
        {
            return done;
        }

        Enter(node);
        try
        {
            var result = node switch
            {
                HoconSubstitution s => ResolveSubstitution(s),
                HoconConcatenation c => ResolveConcatenation(c),
                _ => ResolveMergeStack((HoconMergeStack)node),
            };
            _shallow[node] = result;
            return result;
        }
        finally
        {
            Leave(node);
        }
    }

    private void Enter(HoconValue node)
    {
        if (!_inProgress.Add(node))
        {
            var chain = _stack.SkipWhile(n => !ReferenceEquals(n, node)).OfType<HoconSubstitution>().Distinct()
                .Select(s => $"{s} (line {s.Position.Line}, column {s.Position.Column})");
            throw new HoconException(node.Position, $"substitution cycle: {string.Join(" -> ", chain)} leads back to this value; give one of these settings a literal value");
        }

        _stack.Add(node);
    }

    private void Leave(HoconValue node)
    {
        _inProgress.Remove(node);
        _stack.RemoveAt(_stack.Count - 1);
    }

    private HoconValue? ResolveSubstitution(HoconSubstitution substitution)
    {
        var found = Lookup(substitution.Path, substitution.SelfReference);
        if (found is null && substitution.FallbackPath is not null)
        {
            found = Lookup(substitution.FallbackPath, substitution.SelfReference);
        }

        if (found is not null && Shallow(found) is { } value)
        {
            return value;
        }

        var name = (substitution.FallbackPath ?? substitution.Path).ToDottedString();
        if (_environment(name) is { } environmentValue)
        {
            return new HoconScalar(HoconScalarKind.String, environmentValue, true, substitution.Position);
        }

        return substitution.IsOptional
            ? null
            : throw new HoconException(substitution.Position, $"could not resolve {substitution}: there is no setting '{substitution.Path}' and no environment variable '{name}'; define it, or write ${{?{substitution.Path}}} to make it optional");
    }

    private HoconValue? Lookup(HoconPath path, HoconSelfReference? selfReference)
    {
        HoconValue? current = _root;
        var start = 0;
        if (selfReference is not null && path.StartsWith(selfReference.FieldPath))
        {
            // A field referring to itself sees only its earlier definition ("looking back").
            current = selfReference.Previous;
            start = selfReference.FieldPath.Count;
        }

        for (var i = start; i < path.Segments.Count && current is not null; i++)
        {
            current = Shallow(current) is HoconObject obj ? obj.Fields.GetValueOrDefault(path.Segments[i]) : null;
        }

        return current;
    }

    private HoconValue? ResolveMergeStack(HoconMergeStack stack)
    {
        HoconObject? merged = null;
        for (var i = stack.Items.Count - 1; i >= 0; i--)
        {
            switch (Shallow(stack.Items[i]))
            {
                case null:
                    // An undefined optional substitution leaves the earlier value in place.
                    continue;
                case HoconObject obj:
                    merged = merged is null ? obj : HoconMerge.MergeObjects(obj, merged, linkSelfReferences: false);
                    continue;
                case var other:
                    // A non-object hides everything before it; a later object simply wins.
                    return merged ?? other;
            }
        }

        return merged;
    }

    private HoconValue? ResolveConcatenation(HoconConcatenation concatenation)
    {
        var values = concatenation.Parts.Select(p => p is HoconWhitespace ? p : Shallow(p)).ToList();
        var defined = values.Where(v => v is not null and not HoconWhitespace).ToList();
        if (defined.Count == 0)
        {
            return null;
        }

        if (defined.Any(v => v is HoconObject or HoconArray))
        {
            var first = defined[0]!;
            foreach (var value in defined)
            {
                if (value!.GetType() != first.GetType())
                {
                    throw new HoconException(value.Position, $"cannot concatenate {Describe(first)} with {Describe(value)}; only strings with strings, arrays with arrays, or objects with objects (put a newline or comma between separate values)");
                }
            }

            return first is HoconArray
                ? new HoconArray([.. defined.Cast<HoconArray>().SelectMany(a => a.Items)], concatenation.Position)
                : defined.Cast<HoconObject>().Aggregate((a, b) => HoconMerge.MergeObjects(a, b, linkSelfReferences: false));
        }

        var text = new StringBuilder();
        var quoted = false;
        foreach (var value in values)
        {
            switch (value)
            {
                case HoconWhitespace whitespace:
                    text.Append(whitespace.Text);
                    break;
                case HoconScalar scalar:
                    text.Append(scalar.Value);
                    quoted |= scalar.IsQuoted;
                    break;
            }
        }

        return new HoconScalar(HoconScalarKind.String, text.ToString(), quoted, concatenation.Position);
    }

    private static string Describe(HoconValue value) => value switch
    {
        HoconObject => $"an object ({value.Position})",
        HoconArray => $"an array ({value.Position})",
        _ => $"a string ({value.Position})",
    };
}
