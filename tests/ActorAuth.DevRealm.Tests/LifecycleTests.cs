using System.Net.Sockets;
using Xunit;

namespace ActorAuth.DevRealm.Tests;

/// <summary>Stopping and restarting a realm, on a realm of its own so the other tests keep a running KDC.</summary>
public sealed class LifecycleTests(TempRealm fixture) : IClassFixture<TempRealm>
{
    [Fact]
    public async Task Down_then_up_restarts_the_kdc_with_the_same_principals()
    {
        var realm = fixture.Realm;
        var passwords = (realm.PasswordOf("alice"), realm.PasswordOf("bob"));
        var principals = await realm.ListPrincipalsAsync(CancellationToken.None);

        await DevRealm.DownAsync(realm.Directory, CancellationToken.None);
        Assert.False(realm.IsKdcRunning);
        Assert.False(File.Exists(Path.Combine(realm.Directory, "krb5kdc.pid")));
        using (var probe = new TcpClient())
        {
            await Assert.ThrowsAnyAsync<SocketException>(() => probe.ConnectAsync("127.0.0.1", realm.KdcPort));
        }

        await DevRealm.DownAsync(realm.Directory, CancellationToken.None);

        var restarted = await DevRealm.UpAsync(fixture.Options, CancellationToken.None);
        Assert.True(restarted.IsKdcRunning);
        Assert.Equal(passwords, (restarted.PasswordOf("alice"), restarted.PasswordOf("bob")));
        Assert.Equal(principals, await restarted.ListPrincipalsAsync(CancellationToken.None));
        Assert.Equal(restarted.KdcPort, DevRealm.Open(realm.Directory)!.KdcPort);

        await restarted.KinitAsync("bob", CancellationToken.None);
        var list = await Tool.RunAsync("klist", restarted.Environment, null, "-c", restarted.CredentialCachePath);
        Assert.Contains("Default principal: bob@ACTORAUTH.TEST", list.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_rejects_a_directory_that_holds_another_realm()
    {
        var other = fixture.Options with { RealmName = "OTHER.TEST" };
        var error = await Assert.ThrowsAsync<DevRealmException>(() => DevRealm.UpAsync(other, CancellationToken.None));
        Assert.Contains("ACTORAUTH.TEST", error.Message, StringComparison.Ordinal);
    }
}
