using ActorAuth.Hocon;
using Microsoft.Extensions.Configuration;

namespace ActorAuth.Server.Authorization;

/// <summary>
/// The server-side access check the session actor applies before a request reaches the application: the
/// union of the grants of every rule whose principal pattern matches. Read from the HOCON file named by
/// <c>actorauth.authorization.file</c> (or rules inline under <c>actorauth.authorization.rules</c>); with
/// neither, every authenticated principal may invoke every operation — authentication is then the only gate.
/// </summary>
public sealed class AccessPolicy
{
    private readonly IReadOnlyList<AccessRule> _rules;

    /// <summary>Creates a policy from rules; null means allow every authenticated principal.</summary>
    public AccessPolicy(IReadOnlyList<AccessRule>? rules) => _rules = rules ?? [new AccessRule(["*"], ["*"])];

    /// <summary>Where the rules came from, for the start-up log line.</summary>
    public string Source { get; private init; } = "default: every authenticated principal, every operation";

    /// <summary>The rules in force.</summary>
    public IReadOnlyList<AccessRule> Rules => _rules;

    /// <summary>True when <paramref name="principal"/> may invoke <paramref name="operation"/>.</summary>
    public bool IsAllowed(string principal, string operation)
    {
        foreach (AccessRule rule in _rules)
        {
            if (rule.Matches(principal) && rule.Grants(operation))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads the policy from the <c>actorauth.authorization</c> section.</summary>
    /// <exception cref="FormatException">The file is missing or a rule is malformed; the message names it.</exception>
    public static AccessPolicy From(IConfiguration configuration)
    {
        IConfigurationSection section = configuration.GetSection("actorauth:authorization");
        string? file = section["file"];
        if (!string.IsNullOrWhiteSpace(file))
        {
            string path = Path.GetFullPath(file);
            if (!File.Exists(path))
            {
                throw new FormatException($"actorauth:authorization:file: '{path}' does not exist.");
            }

            IConfiguration rules = new ConfigurationBuilder().AddHoconFile(path).Build();
            return new AccessPolicy(ReadRules(rules.GetSection("rules"), path)) { Source = path };
        }

        IConfigurationSection inline = section.GetSection("rules");
        return inline.Exists() ? new AccessPolicy(ReadRules(inline, "actorauth.authorization.rules")) { Source = "actorauth.authorization.rules" } : new AccessPolicy(null);
    }

    private static List<AccessRule> ReadRules(IConfigurationSection rules, string source)
    {
        var result = new List<AccessRule>();
        foreach (IConfigurationSection rule in rules.GetChildren())
        {
            string[] principals = Strings(rule.GetSection("principals"));
            string[] operations = Strings(rule.GetSection("operations"));
            if (principals.Length == 0 || operations.Length == 0)
            {
                throw new FormatException($"{source}: rule {rule.Key} needs non-empty 'principals' and 'operations' lists.");
            }

            result.Add(new AccessRule(principals, operations));
        }

        return result;
    }

    private static string[] Strings(IConfigurationSection list) =>
        list.GetChildren().Select(c => c.Value).OfType<string>().Where(v => v.Length > 0).ToArray();
}
