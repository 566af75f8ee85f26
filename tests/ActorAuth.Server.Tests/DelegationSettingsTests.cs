using System.Net.Security;
using System.Security.Principal;
using ActorAuth.Server.Sessions;
using Microsoft.Extensions.Configuration;

namespace ActorAuth.Server.Tests;

public sealed class DelegationSettingsTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

    [Fact]
    public void Targets_are_host_port_entries_compared_without_case()
    {
        DelegationSettings settings = DelegationSettings.From(Config(
            ("actorauth:server:delegation:targets:0", "LocalHost:2001"), ("actorauth:server:delegation:targets:1", "[::1]:2002")));

        Assert.Contains("localhost:2001", settings.Targets);
        Assert.Contains("[::1]:2002", settings.Targets);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.Timeout);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:http")]
    [InlineData(":2001")]
    public void A_target_that_is_not_host_port_is_a_start_up_error_naming_it(string entry)
    {
        var e = Assert.Throws<FormatException>(() => DelegationSettings.From(Config(("actorauth:server:delegation:targets:0", entry))));

        Assert.Contains($"actorauth:server:delegation:targets: '{entry}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_request_names_host_port_and_spn()
    {
        Assert.True(DelegationTarget.TryParse(" 127.0.0.1:2001  actorauth/localhost ", out DelegationTarget? target, out _));

        Assert.Equal(new DelegationTarget("127.0.0.1", 2001, "actorauth/localhost"), target);
        Assert.Equal("127.0.0.1:2001", target!.Address);
    }

    [Fact]
    public async Task A_handler_without_a_delegated_credential_gets_a_typed_error_not_the_servers_identity()
    {
        var identity = new SessionIdentity(1, null, "alice@ACTORAUTH.TEST", "actorauth/localhost", "Kerberos", ProtectionLevel.EncryptAndSign, TokenImpersonationLevel.Impersonation);

        var e = await Assert.ThrowsAsync<NoDelegatedCredentialException>(() => identity.ConnectAsClientAsync("127.0.0.1", 1, "actorauth/localhost"));

        Assert.Equal("alice@ACTORAUTH.TEST delegated no credential to this service (it granted Impersonation), so the server cannot reach 127.0.0.1:1 as it", e.Message);
    }

    [Fact]
    public void Impersonation_is_off_without_a_root_and_bounded_with_one()
    {
        Assert.Null(ImpersonationSettings.From(Config()).Root);
        Assert.Equal(new ImpersonationSettings("/srv/docs", 4, 256), ImpersonationSettings.From(Config(
            ("actorauth:server:impersonation:root", "/srv/docs"), ("actorauth:server:impersonation:threads", "4"))));
        Assert.Throws<FormatException>(() => ImpersonationSettings.From(Config(("actorauth:server:impersonation:threads", "0"))));
    }
}
