using ActorAuth.Hocon;
using Microsoft.Extensions.Configuration;

namespace ActorAuth.Server.Authorization;

/// <summary>
/// The server-side access check the session actor applies before a request reaches the application: the
/// union of the grants of every rule whose principal pattern matches. Read from the HOCON file named by
/// <c>actorauth.authorization.file</c> (or rules inline under <c>actorauth.authorization.rules</c>); with
/// neither, every authenticated principal may invoke every operation — authentication is then the only gate.
/// The same file's <c>documents</c> list grants HTTP documents by path (absent: every authenticated principal
/// reads every document), and its <c>operators</c> list names who may see the status page (absent: nobody).
/// </summary>
public sealed class AccessPolicy
{
    private readonly IReadOnlyList<AccessRule> _rules;
    private readonly IReadOnlyList<DocumentRule> _documents;

    /// <summary>Creates a policy from rules; null means allow every authenticated principal (operations, documents).</summary>
    public AccessPolicy(IReadOnlyList<AccessRule>? rules, IReadOnlyList<DocumentRule>? documents = null, IReadOnlyList<string>? operators = null)
    {
        _rules = rules ?? [new AccessRule(["*"], ["*"])];
        _documents = documents ?? [new DocumentRule(["*"], ["/"])];
        Operators = operators ?? [];
    }

    /// <summary>The principal patterns of the operators: who may see the status page.</summary>
    public IReadOnlyList<string> Operators { get; }

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

    /// <summary>True when <paramref name="principal"/> may read the document at <paramref name="path"/> (absolute, normalized).</summary>
    public bool MayRead(string principal, string path)
    {
        foreach (DocumentRule rule in _documents)
        {
            if (rule.Grants(principal, path))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the authorization file names <paramref name="principal"/> among the operators.</summary>
    public bool IsOperator(string principal) => PrincipalPatterns.Match(Operators, principal);

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
            return Read(rules, path);
        }

        return section.GetSection("rules").Exists() || section.GetSection("documents").Exists() || section.GetSection("operators").Exists()
            ? Read(section, "actorauth.authorization")
            : new AccessPolicy(null);
    }

    private static AccessPolicy Read(IConfiguration file, string source)
    {
        IConfigurationSection rules = file.GetSection("rules"), documents = file.GetSection("documents"), operators = file.GetSection("operators");
        return new AccessPolicy(
            rules.Exists() ? ReadRules(rules, source) : null,
            documents.Exists() ? ReadDocumentRules(documents, source) : null,
            operators.Exists() ? Strings(operators) : null)
        {
            Source = source,
        };
    }

    private static List<DocumentRule> ReadDocumentRules(IConfigurationSection rules, string source)
    {
        var result = new List<DocumentRule>();
        foreach (IConfigurationSection rule in rules.GetChildren())
        {
            string[] principals = Strings(rule.GetSection("principals"));
            string[] paths = Strings(rule.GetSection("paths"));
            if (principals.Length == 0 || paths.Length == 0 || paths.Any(p => !p.StartsWith('/')))
            {
                throw new FormatException($"{source}: documents rule {rule.Key} needs non-empty 'principals' and 'paths' lists, each path starting with '/'.");
            }

            result.Add(new DocumentRule(principals, paths));
        }

        return result;
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
