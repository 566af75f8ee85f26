using Akka.Actor;

namespace ActorAuth.Directory.Tests;

public sealed class RealmDirectoryBackendTests(RealmFixture fixture) : IClassFixture<RealmFixture>
{
    private static readonly Guid ServiceGuid = Guid.Parse("0d6f2a51-7a0e-4f7e-9d8c-3c2b1a0f9e88");

    [Fact]
    public async Task Registered_SPN_is_a_KDC_principal_whose_tickets_the_service_keytab_decrypts()
    {
        var backend = new RealmDirectoryBackend(fixture.Realm, "svc-a");
        var spn = ServicePrincipalName.Parse("actorauth/localhost:4100");

        await backend.RegisterSpnsAsync([spn], CancellationToken.None);

        Assert.Contains("actorauth/localhost:4100", await backend.GetAccountSpnsAsync(CancellationToken.None));
        Assert.Contains("actorauth/localhost:4100@ACTORAUTH.TEST", await fixture.Realm.ListPrincipalsAsync(CancellationToken.None));
        // kvno asks the KDC for a ticket to the SPN (alice's TGT) and, with -k, decrypts it with the service keytab.
        var (exitCode, output) = await fixture.RunAsync("kvno", "-k", fixture.Realm.KeytabPath, "actorauth/localhost:4100@ACTORAUTH.TEST");
        Assert.True(exitCode == 0, output);
        Assert.Contains("keytab entry valid", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registering_again_is_idempotent()
    {
        var backend = new RealmDirectoryBackend(fixture.Realm, "svc-b");
        var spns = ServicePrincipalName.GetHostBased("actorauth", "localhost", ["b.actorauth.test"], 4200);

        await backend.RegisterSpnsAsync(spns, CancellationToken.None);
        await backend.RegisterSpnsAsync(spns, CancellationToken.None);

        Assert.Equal(["actorauth/b.actorauth.test:4200", "actorauth/localhost:4200"], await backend.GetAccountSpnsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task An_SPN_another_account_owns_is_a_conflict_naming_both_accounts()
    {
        var first = new RealmDirectoryBackend(fixture.Realm, "svc-first");
        var second = new RealmDirectoryBackend(fixture.Realm, "svc-second");
        await first.RegisterSpnsAsync([ServicePrincipalName.Parse("actorauth/localhost:4300")], CancellationToken.None);

        // Case differs: SPNs match case-insensitively.
        var conflict = await Assert.ThrowsAsync<SpnConflictException>(
            () => second.RegisterSpnsAsync([ServicePrincipalName.Parse("ActorAuth/LOCALHOST:4300")], CancellationToken.None));

        Assert.Equal("svc-first", conflict.OtherAccount);
        Assert.Contains("ActorAuth/LOCALHOST:4300 is already registered on svc-first, so it cannot be registered on svc-second", conflict.Message, StringComparison.Ordinal);
        Assert.Empty(await second.GetAccountSpnsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Removing_an_SPN_releases_it_for_another_account()
    {
        var first = new RealmDirectoryBackend(fixture.Realm, "svc-leaving");
        var second = new RealmDirectoryBackend(fixture.Realm, "svc-arriving");
        var spn = ServicePrincipalName.Parse("actorauth/localhost:4400");
        await first.RegisterSpnsAsync([spn], CancellationToken.None);

        await first.RemoveSpnAsync(spn, CancellationToken.None);
        await second.RegisterSpnsAsync([spn], CancellationToken.None);

        Assert.Empty(await first.GetAccountSpnsAsync(CancellationToken.None));
        Assert.Equal(["actorauth/localhost:4400"], await second.GetAccountSpnsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task SCPs_are_published_updated_found_by_keywords_and_removed()
    {
        var backend = new RealmDirectoryBackend(fixture.Realm, "svc-scp");
        var scp = new ServiceConnectionPoint([ServiceGuid.ToString("D"), "ActorAuth"], "scptest", "localhost", "A", ["localhost:4500"]);

        var stored = await backend.PublishScpAsync(scp, CancellationToken.None);
        await backend.PublishScpAsync(scp with { ServiceBindingInformation = ["localhost:4501"] }, CancellationToken.None);

        Assert.Null(stored.DistinguishedName);
        var found = Assert.Single(await backend.FindScpsAsync("scptest", [ServiceGuid.ToString("D").ToUpperInvariant()], CancellationToken.None));
        Assert.Equal(["localhost:4501"], found.ServiceBindingInformation);
        Assert.Equal(["0d6f2a51-7a0e-4f7e-9d8c-3c2b1a0f9e88", "ActorAuth"], found.Keywords);
        Assert.Empty(await backend.FindScpsAsync("scptest", ["OtherProduct"], CancellationToken.None));
        Assert.Empty(await backend.FindScpsAsync("otherclass", null, CancellationToken.None));
        Assert.Empty(System.IO.Directory.GetFiles(Path.Combine(fixture.Realm.Directory, "directory", "scp"), "*.tmp"));

        await backend.RemoveScpAsync(scp, CancellationToken.None);

        Assert.Empty(await backend.FindScpsAsync("scptest", null, CancellationToken.None));
    }

    [Fact]
    public async Task Two_instances_on_one_host_keep_their_own_SCPs_and_removing_one_leaves_the_other()
    {
        var backend = new RealmDirectoryBackend(fixture.Realm, "svc-scp");
        ServiceConnectionPoint Instance(int port) =>
            new([ServiceGuid.ToString("D"), "ActorAuth"], "instances", "localhost", "A", [$"localhost:{port}"]) { InstanceName = port.ToString(System.Globalization.CultureInfo.InvariantCulture) };

        await backend.PublishScpAsync(Instance(4700), CancellationToken.None);
        await backend.PublishScpAsync(Instance(4701), CancellationToken.None);
        var both = await backend.FindScpsAsync("instances", null, CancellationToken.None);
        await backend.RemoveScpAsync(Instance(4700), CancellationToken.None);

        Assert.Equal(["4700", "4701"], both.Select(s => s.InstanceName));
        Assert.Equal(["localhost:4701"], Assert.Single(await backend.FindScpsAsync("instances", null, CancellationToken.None)).ServiceBindingInformation);
    }

    [Fact]
    public async Task The_directory_actor_registers_and_publishes_through_the_realm()
    {
        var backend = new RealmDirectoryBackend(fixture.Realm, "svc-actor");
        var settings = new DirectorySettings { ServiceClass = "actorauth", DnsHostName = "localhost", Port = 4600, ServiceGuid = ServiceGuid };
        var system = ActorSystem.Create("realm-directory");
        try
        {
            var actor = system.ActorOf(DirectoryActor.Props(settings, backend, new CapturedLog()));

            var ready = await actor.Ask<DirectoryReady>(AwaitDirectory.Instance, TimeSpan.FromSeconds(30));

            Assert.Equal(["actorauth/localhost", "actorauth/localhost:4600"], ready.Spns.Select(s => s.ToString()));
            Assert.Equal(["localhost:4600"], ready.Scp!.ServiceBindingInformation);
            Assert.Equal("4600", ready.Scp.InstanceName);
            Assert.Contains("actorauth/localhost:4600@ACTORAUTH.TEST", await fixture.Realm.ListPrincipalsAsync(CancellationToken.None));
            Assert.Single(await backend.FindScpsAsync("actorauth", [ServiceGuid.ToString("D")], CancellationToken.None));
        }
        finally
        {
            await system.Terminate();
        }
    }
}
