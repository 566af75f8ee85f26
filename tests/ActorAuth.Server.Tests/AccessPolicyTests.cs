using ActorAuth.Hocon;
using ActorAuth.Server.Authorization;
using Microsoft.Extensions.Configuration;

namespace ActorAuth.Server.Tests;

public sealed class AccessPolicyTests
{
    private static AccessPolicy Inline(string rules) =>
        AccessPolicy.From(new ConfigurationBuilder().AddHoconString("actorauth.authorization.rules = " + rules).Build());

    [Fact]
    public void Without_rules_every_authenticated_principal_may_invoke_everything()
    {
        AccessPolicy policy = AccessPolicy.From(new ConfigurationBuilder().Build());

        Assert.True(policy.IsAllowed("anyone@ANY.REALM", "anything"));
    }

    [Fact]
    public void An_exact_principal_matches_only_itself_case_sensitively()
    {
        AccessPolicy policy = Inline("""[{ principals = ["alice@ACTORAUTH.TEST"], operations = [echo] }]""");

        Assert.True(policy.IsAllowed("alice@ACTORAUTH.TEST", "echo"));
        Assert.False(policy.IsAllowed("Alice@ACTORAUTH.TEST", "echo"));
        Assert.False(policy.IsAllowed("alice@OTHER.TEST", "echo"));
    }

    [Fact]
    public void A_realm_pattern_matches_every_principal_of_that_realm_only()
    {
        AccessPolicy policy = Inline("""[{ principals = ["*@ACTORAUTH.TEST"], operations = [whoami] }]""");

        Assert.True(policy.IsAllowed("bob@ACTORAUTH.TEST", "whoami"));
        Assert.True(policy.IsAllowed("svc/host@ACTORAUTH.TEST", "whoami"));
        Assert.False(policy.IsAllowed("bob@EVIL.ACTORAUTH.TEST", "whoami"));
        Assert.False(policy.IsAllowed("bob@ACTORAUTH.TEST", "echo"));
    }

    [Fact]
    public void Grants_of_all_matching_rules_add_up()
    {
        AccessPolicy policy = Inline("""
            [
              { principals = ["*@ACTORAUTH.TEST"], operations = [whoami] }
              { principals = ["alice@ACTORAUTH.TEST"], operations = [echo] }
            ]
            """);

        Assert.True(policy.IsAllowed("alice@ACTORAUTH.TEST", "whoami"));
        Assert.True(policy.IsAllowed("alice@ACTORAUTH.TEST", "echo"));
        Assert.False(policy.IsAllowed("bob@ACTORAUTH.TEST", "echo"));
    }

    [Fact]
    public void A_star_operation_grants_every_operation()
    {
        AccessPolicy policy = Inline("""[{ principals = ["*"], operations = ["*"] }]""");

        Assert.True(policy.IsAllowed("x@Y", "deposit"));
    }

    [Fact]
    public void A_rule_without_operations_is_refused_with_a_message_naming_it()
    {
        var e = Assert.Throws<FormatException>(() => Inline("""[{ principals = ["*"] }]"""));

        Assert.Contains("operations", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_authorization_file_is_refused_naming_the_path()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddHoconString("actorauth.authorization.file = /no/such/rules.conf").Build();

        var e = Assert.Throws<FormatException>(() => AccessPolicy.From(configuration));

        Assert.Contains("/no/such/rules.conf", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_authorization_file_grants_alice_everything_and_the_realm_echo_and_whoami()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "shipped", "config", "authorization.conf");
        AccessPolicy policy = AccessPolicy.From(new ConfigurationBuilder().AddInMemoryCollection(
            new Dictionary<string, string?> { ["actorauth:authorization:file"] = path }).Build());

        Assert.True(policy.IsAllowed("alice@ACTORAUTH.TEST", "anything"));
        Assert.True(policy.IsAllowed("bob@ACTORAUTH.TEST", "whoami"));
        Assert.False(policy.IsAllowed("bob@ACTORAUTH.TEST", "anything"));
    }
}
