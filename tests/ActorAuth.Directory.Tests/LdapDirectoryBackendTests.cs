namespace ActorAuth.Directory.Tests;

[Collection(SambaCollection.Name)]
public sealed class LdapDirectoryBackendTests(SambaDomainController dc)
{
    private static readonly Guid ServiceGuid = Guid.Parse("9a3c1e57-2f4b-4d6a-8e1f-0b7c6d5e4f31");

    [Fact]
    public async Task The_service_account_registers_its_SPNs_and_publishes_its_SCP()
    {
        var backend = new LdapDirectoryBackend(dc.OptionsFor("svc-actorauth"));
        var spns = ServicePrincipalName.GetHostBased("actorauth", "host1.samba.actorauth.test", ["alias1.samba.actorauth.test"], 5100);
        var scp = new ServiceConnectionPoint([ServiceGuid.ToString("D"), "ActorAuth"], "actorauth", "host1.samba.actorauth.test", "A", ["host1.samba.actorauth.test:5100"]);

        await backend.RegisterSpnsAsync(spns, CancellationToken.None);
        await backend.RegisterSpnsAsync(spns, CancellationToken.None);
        var published = await backend.PublishScpAsync(scp, CancellationToken.None);
        var updated = await backend.PublishScpAsync(scp with { ServiceBindingInformation = ["host1.samba.actorauth.test:5101"] }, CancellationToken.None);

        var held = await backend.GetAccountSpnsAsync(CancellationToken.None);
        Assert.Contains("actorauth/host1.samba.actorauth.test:5100", held);
        Assert.Contains("actorauth/alias1.samba.actorauth.test:5100", held);
        Assert.Equal("CN=actorauth-host1.samba.actorauth.test,CN=Computers," + SambaDomainController.BaseDn, published.DistinguishedName);
        Assert.Equal(published.DistinguishedName, updated.DistinguishedName);
        Assert.Equal("CN=svc-actorauth,CN=Users," + SambaDomainController.BaseDn, backend.Account);
    }

    [Fact]
    public async Task FindScps_finds_the_SCP_by_keywords_through_the_referrals()
    {
        var publisher = new LdapDirectoryBackend(dc.OptionsFor("svc-actorauth"));
        var scp = new ServiceConnectionPoint([ServiceGuid.ToString("D"), "ActorAuth"], "actorauth", "host2.samba.actorauth.test", "A", ["host2.samba.actorauth.test:5200"]);
        await publisher.PublishScpAsync(scp, CancellationToken.None);
        var client = new LdapDirectoryBackend(dc.OptionsFor("svc-other"));

        var found = await client.FindScpsAsync("actorauth", [ServiceGuid.ToString("D"), "ActorAuth"], CancellationToken.None);

        var match = Assert.Single(found, s => s.ServiceDnsName == "host2.samba.actorauth.test");
        Assert.Equal(["host2.samba.actorauth.test:5200"], match.ServiceBindingInformation);
        Assert.Equal("A", match.ServiceDnsNameType);
        Assert.Contains("ActorAuth", match.Keywords);
        Assert.Empty(await client.FindScpsAsync("actorauth", ["NoSuchProduct"], CancellationToken.None));

        await publisher.RemoveScpAsync(match, CancellationToken.None);
        Assert.DoesNotContain(await client.FindScpsAsync("actorauth", null, CancellationToken.None), s => s.ServiceDnsName == "host2.samba.actorauth.test");
    }

    [Fact]
    public async Task Two_instances_on_one_host_publish_two_SCPs_named_by_instance_and_removing_one_leaves_the_other()
    {
        var backend = new LdapDirectoryBackend(dc.OptionsFor("svc-actorauth"));
        string guid = Guid.NewGuid().ToString("D");
        ServiceConnectionPoint Instance(int port) =>
            new([guid, "ActorAuth"], "actorauth", "host5.samba.actorauth.test", "A", [$"host5.samba.actorauth.test:{port}"]) { InstanceName = port.ToString(System.Globalization.CultureInfo.InvariantCulture) };

        var first = await backend.PublishScpAsync(Instance(5500), CancellationToken.None);
        await backend.PublishScpAsync(Instance(5501), CancellationToken.None);
        var both = await backend.FindScpsAsync("actorauth", [guid], CancellationToken.None);
        await backend.RemoveScpAsync(first, CancellationToken.None);
        var left = await backend.FindScpsAsync("actorauth", [guid], CancellationToken.None);

        Assert.Equal("CN=actorauth-host5.samba.actorauth.test-5500,CN=Computers," + SambaDomainController.BaseDn, first.DistinguishedName);
        Assert.Equal(["5500", "5501"], both.Select(s => s.InstanceName).Order());
        Assert.Equal(["host5.samba.actorauth.test:5501"], Assert.Single(left).ServiceBindingInformation);
        await backend.RemoveScpAsync(left[0], CancellationToken.None);
    }

    [Fact]
    public async Task A_second_account_registering_an_SPN_the_first_holds_gets_a_conflict_naming_it()
    {
        var first = new LdapDirectoryBackend(dc.OptionsFor("svc-actorauth"));
        var second = new LdapDirectoryBackend(dc.OptionsFor("svc-other"));
        var spn = ServicePrincipalName.Parse("actorauth/host3.samba.actorauth.test:5300");
        await first.RegisterSpnsAsync([spn], CancellationToken.None);

        var conflict = await Assert.ThrowsAsync<SpnConflictException>(() => second.RegisterSpnsAsync([spn], CancellationToken.None));

        Assert.Equal("CN=svc-actorauth,CN=Users," + SambaDomainController.BaseDn, conflict.OtherAccount);
        Assert.Contains(
            $"The SPN actorauth/host3.samba.actorauth.test:5300 is already registered on CN=svc-actorauth,CN=Users,{SambaDomainController.BaseDn}, so it cannot be registered on CN=svc-other,CN=Users,{SambaDomainController.BaseDn}",
            conflict.Message,
            StringComparison.Ordinal);
        Assert.DoesNotContain("actorauth/host3.samba.actorauth.test:5300", await second.GetAccountSpnsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task RemoveSpn_takes_it_off_the_account_and_is_idempotent()
    {
        var backend = new LdapDirectoryBackend(dc.OptionsFor("svc-other"));
        var spn = ServicePrincipalName.Parse("actorauth/host4.samba.actorauth.test:5400");
        await backend.RegisterSpnsAsync([spn], CancellationToken.None);

        await backend.RemoveSpnAsync(spn, CancellationToken.None);
        await backend.RemoveSpnAsync(spn, CancellationToken.None);

        Assert.DoesNotContain("actorauth/host4.samba.actorauth.test:5400", await backend.GetAccountSpnsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_server_that_is_not_listening_is_an_unavailable_directory()
    {
        var backend = new LdapDirectoryBackend(dc.OptionsFor("svc-actorauth") with { Port = 1, Timeout = TimeSpan.FromSeconds(2) });

        await Assert.ThrowsAsync<DirectoryUnavailableException>(() => backend.GetAccountSpnsAsync(CancellationToken.None));
    }
}
