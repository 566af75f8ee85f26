using ActorAuth.Client;
using ActorAuth.DevRealm;
using ActorAuth.Security;
using Xunit;
using DevRealmInstance = ActorAuth.DevRealm.DevRealm;

namespace ActorAuth.Integration.Tests;

/// <summary>What the server does when what it depends on fails: the KDC, the keytab, the clocks.</summary>
[Collection(RealmCollection.Name)]
public sealed class FaultTests(RealmFixture realm)
{
    private static async Task<(int ExitCode, string Output)> RunAsync(string file, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        (int exit, string stdout, string stderr) = await ChildProcess.RunAsync(file, environment, arguments);
        return (exit, stdout + stderr);
    }

    [Fact]
    public async Task A_client_whose_clock_is_ten_minutes_off_hears_clock_skew_from_the_server()
    {
        await using TestServer server = await TestServer.StartAsync(realm);
        // The tickets come first, with the right time; only the authenticator the client then makes is skewed.
        await realm.Realm.KinitAsync("alice");
        (int kvno, string kvnoOutput) = await RunAsync("kvno", realm.Realm.Environment, RealmFixture.ServicePrincipal);
        Assert.True(kvno == 0, kvnoOutput);

        (int exit, string output) = await RunAsync("faketime", realm.Realm.Environment,
            "-f", "+10m", "dotnet", ChildProcess.Cli, "client", "--port", server.Port.ToString());

        Assert.True(exit != 0, output);
        Assert.Contains("ServerRefused", output, StringComparison.Ordinal);
        Assert.Contains("Clock skew too great", output, StringComparison.Ordinal);
        Assert.True(await TestServer.EventuallyAsync(() => server.Log.Lines.Any(l => l.Contains("closed in handshake: expired", StringComparison.Ordinal))), server.Log.ToString());
    }

    [Fact]
    public async Task With_the_kdc_stopped_new_clients_fail_clearly_and_established_sessions_go_on()
    {
        await using TestServer server = await TestServer.StartAsync(realm);
        await using AuthenticatedChannel established = await server.ConnectAsync();
        await DevRealmInstance.DownAsync(realm.Realm.Directory);
        try
        {
            var e = await Assert.ThrowsAsync<ActorAuthClientException>(() => server.ConnectAsync("bob"));
            Assert.Equal(ClientFailure.CredentialsRejected, e.Failure);
            Assert.Contains("KDC", e.Message, StringComparison.OrdinalIgnoreCase);

            Assert.Equal("still here", System.Text.Encoding.UTF8.GetString((await established.RequestAsync("still here"u8.ToArray())).Span));
        }
        finally
        {
            // Same directory, same krb5.conf path (rewritten with the new port): the process's KRB5_CONFIG stays right.
            await DevRealmInstance.UpAsync(new RealmOptions(realm.Realm.Directory));
        }

        await using AuthenticatedChannel afterwards = await server.ConnectAsync("bob");
        Assert.True(afterwards.IsMutuallyAuthenticated);
    }

    [Theory]
    [InlineData("/nonexistent/actorauth/service.keytab")]
    [InlineData("/tmp")]
    public async Task A_missing_or_unreadable_keytab_refuses_start_naming_the_file(string keytab)
    {
        try
        {
            var e = await Assert.ThrowsAsync<SecurityPackageException>(() => TestServer.StartAsync(realm, [], ("actorauth:kerberos:keytab", "FILE:" + keytab)));

            Assert.Contains(keytab, e.Message, StringComparison.Ordinal);
        }
        finally
        {
            KerberosEnvironment.Apply(realm.Realm.Environment);
        }
    }

    [Fact]
    public async Task A_rotated_keytab_accepts_new_tickets_without_restart_and_old_ones_while_their_key_is_kept()
    {
        await using TestServer server = await TestServer.StartAsync(realm, ("package", "Kerberos"));
        using var before = new ClientSecurityContext(new ClientContextOptions
        {
            Package = "Kerberos",
            TargetName = RealmFixture.ServicePrincipal,
            Credential = server.CredentialOf("alice"),
        });
        Assert.False(before.Initialize([], out byte[]? oldTicket).IsError);

        int kvno = await realm.Realm.RotateServiceKeyAsync(RealmFixture.ServicePrincipal);

        using (RawClient old = await RawClient.ConnectAsync(server.Port))
        {
            await old.SendFrameAsync(oldTicket!);
            byte[]? apRep = await old.ReceiveFrameAsync(TimeSpan.FromSeconds(10));
            Assert.True(apRep is not null, $"the ticket under the previous key was refused after rotation to kvno {kvno}\n{server.Log}");
        }

        await using AuthenticatedChannel fresh = await server.ConnectAsync("bob", "Kerberos");
        Assert.True(fresh.IsMutuallyAuthenticated);
    }
}
