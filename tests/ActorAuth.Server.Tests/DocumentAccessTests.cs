using ActorAuth.Hocon;
using ActorAuth.Server.Authorization;
using Microsoft.Extensions.Configuration;

namespace ActorAuth.Server.Tests;

/// <summary>The authorization file's documents rules and operators, as an http listener applies them.</summary>
public sealed class DocumentAccessTests
{
    private static AccessPolicy Read(string hocon) =>
        AccessPolicy.From(new ConfigurationBuilder().AddHoconString("actorauth.authorization { " + hocon + " }").Build());

    private static readonly AccessPolicy Policy = Read("""
        documents = [
          { principals = ["alice@ACTORAUTH.TEST"], paths = ["/"] }
          { principals = ["*@ACTORAUTH.TEST"], paths = ["/public/", "/index.html"] }
        ]
        operators = ["alice@ACTORAUTH.TEST"]
        """);

    [Theory]
    [InlineData("/public/a.html")]
    [InlineData("/public/deep/b.txt")]
    [InlineData("/index.html")]
    public void The_realm_reads_what_its_rule_grants(string path) => Assert.True(Policy.MayRead("bob@ACTORAUTH.TEST", path));

    [Theory]
    [InlineData("/private/alice.html")]
    [InlineData("/publicity.html")]
    [InlineData("/index.html.bak")]
    [InlineData("/public")]
    public void A_path_prefix_grants_whole_segments_only(string path) => Assert.False(Policy.MayRead("bob@ACTORAUTH.TEST", path));

    [Fact]
    public void A_root_rule_grants_every_document() => Assert.True(Policy.MayRead("alice@ACTORAUTH.TEST", "/private/alice.html"));

    [Fact]
    public void Another_realm_reads_nothing_no_rule_grants() => Assert.False(Policy.MayRead("eve@EVIL.TEST", "/index.html"));

    [Fact]
    public void Only_the_named_operators_are_operators()
    {
        Assert.True(Policy.IsOperator("alice@ACTORAUTH.TEST"));
        Assert.False(Policy.IsOperator("bob@ACTORAUTH.TEST"));
    }

    [Fact]
    public void Without_a_documents_list_every_authenticated_principal_reads_every_document_and_nobody_is_an_operator()
    {
        AccessPolicy policy = Read("rules = [ { principals = [\"*\"], operations = [echo] } ]");

        Assert.True(policy.MayRead("anyone@ANY.TEST", "/private/x"));
        Assert.False(policy.IsOperator("anyone@ANY.TEST"));
    }

    [Theory]
    [InlineData("documents = [ { principals = [\"*\"], paths = [] } ]")]
    [InlineData("documents = [ { principals = [\"*\"], paths = [\"relative/\"] } ]")]
    [InlineData("documents = [ { paths = [\"/\"] } ]")]
    public void A_malformed_documents_rule_is_refused_naming_it(string hocon)
    {
        FormatException refused = Assert.Throws<FormatException>(() => Read(hocon));

        Assert.Contains("documents rule 0", refused.Message, StringComparison.Ordinal);
    }
}
