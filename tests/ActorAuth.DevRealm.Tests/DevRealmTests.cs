using System.Net.Sockets;
using Xunit;

namespace ActorAuth.DevRealm.Tests;

/// <summary>Behaviour of one running realm, shared by the tests of this class (they run one at a time).</summary>
public sealed class DevRealmTests(TempRealm fixture) : IClassFixture<TempRealm>
{
    private DevRealm Realm => fixture.Realm;

    [Fact]
    public async Task Up_creates_a_running_kdc_a_service_keytab_and_password_files()
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The dev realm is Linux-only.");
        }

        Assert.True(Realm.IsKdcRunning);
        Assert.Equal(fixture.Options.Directory, Realm.Directory);
        Assert.Equal("ACTORAUTH.TEST", Realm.RealmName);
        using (var client = new TcpClient())
        {
            await client.ConnectAsync("127.0.0.1", Realm.KdcPort);
        }

        var keytab = await Tool.RunAsync("klist", Realm.Environment, null, "-k", Realm.KeytabPath);
        Assert.Equal(0, keytab.ExitCode);
        Assert.Contains(TempRealm.Service, keytab.StandardOutput, StringComparison.Ordinal);

        foreach (var user in new[] { "alice", "bob" })
        {
            var path = Path.Combine(Realm.Directory, user + ".password");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            var password = Realm.PasswordOf(user);
            Assert.Equal(24, password.Length);
            Assert.DoesNotContain('\n', password);
        }

        Assert.NotEqual(Realm.PasswordOf("alice"), Realm.PasswordOf("bob"));
        var principals = await Realm.ListPrincipalsAsync(CancellationToken.None);
        Assert.Contains("alice@ACTORAUTH.TEST", principals);
        Assert.Contains("bob@ACTORAUTH.TEST", principals);
        Assert.Contains(TempRealm.Service, principals);
    }

    [Fact]
    public async Task Up_again_reuses_the_running_realm()
    {
        var passwords = (Realm.PasswordOf("alice"), Realm.PasswordOf("bob"));
        var keytab = await File.ReadAllBytesAsync(Realm.KeytabPath);

        var again = await DevRealm.UpAsync(fixture.Options, CancellationToken.None);

        Assert.Equal(Realm.KdcPort, again.KdcPort);
        Assert.Equal(passwords, (again.PasswordOf("alice"), again.PasswordOf("bob")));
        Assert.Equal(keytab, await File.ReadAllBytesAsync(again.KeytabPath));
    }

    [Fact]
    public async Task Kinit_gets_a_tgt_into_the_realm_ccache()
    {
        await Realm.KinitAsync("alice", CancellationToken.None);

        var list = await Tool.RunAsync("klist", Realm.Environment, null, "-c", Realm.CredentialCachePath);
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("Default principal: alice@ACTORAUTH.TEST", list.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("krbtgt/ACTORAUTH.TEST@ACTORAUTH.TEST", list.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_service_principal_is_usable_at_once()
    {
        await Realm.AddServicePrincipalAsync("directory/localhost", cancellationToken: CancellationToken.None);
        await Realm.KinitAsync("alice", CancellationToken.None);

        // kvno -k asks the KDC for a ticket and decrypts it with the keytab: both sides know the new key.
        var kvno = await Tool.RunAsync("kvno", Realm.Environment, null, "-k", Realm.KeytabPath, "directory/localhost@ACTORAUTH.TEST");
        Assert.True(kvno.ExitCode == 0, kvno.StandardError);
        Assert.Contains("keytab entry valid", kvno.StandardOutput, StringComparison.Ordinal);

        // Adding it again changes nothing, so tickets already issued for it stay valid.
        var keytab = await File.ReadAllBytesAsync(Realm.KeytabPath);
        await Realm.AddServicePrincipalAsync("directory/localhost@ACTORAUTH.TEST", cancellationToken: CancellationToken.None);
        Assert.Equal(keytab, await File.ReadAllBytesAsync(Realm.KeytabPath));
    }

    [Fact]
    public async Task Kinit_with_a_wrong_password_fails()
    {
        await Realm.AddUserAsync("carol", CancellationToken.None);
        var right = Realm.PasswordOf("carol");

        var wrong = await Tool.RunAsync("kinit", Realm.Environment, "not-" + right + "\n", "-c", "MEMORY:", "carol@ACTORAUTH.TEST");
        Assert.NotEqual(0, wrong.ExitCode);
        Assert.Contains("Password incorrect", wrong.StandardError, StringComparison.Ordinal);

        // Through the API, a password file that no longer matches surfaces as a DevRealmException from kinit.
        var path = Path.Combine(Realm.Directory, "carol.password");
        await File.WriteAllTextAsync(path, "not-" + right);
        var error = await Assert.ThrowsAsync<DevRealmException>(() => Realm.KinitAsync("carol", CancellationToken.None));
        Assert.Equal(1, error.ExitCode);
        Assert.Contains("kinit", error.CommandLine, StringComparison.Ordinal);
        Assert.DoesNotContain(right, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Environment_and_export_lines_point_into_the_directory()
    {
        var dir = Realm.Directory;
        Assert.Equal(Path.Combine(dir, "krb5.conf"), Realm.Environment["KRB5_CONFIG"]);
        Assert.Equal(Path.Combine(dir, "kdc.conf"), Realm.Environment["KRB5_KDC_PROFILE"]);
        Assert.Equal("FILE:" + Path.Combine(dir, "service.keytab"), Realm.Environment["KRB5_KTNAME"]);
        Assert.Equal("FILE:" + Path.Combine(dir, "ccache"), Realm.Environment["KRB5CCNAME"]);
        Assert.Equal("alice@ACTORAUTH.TEST", Realm.PrincipalOf("alice"));
        Assert.Equal(
            $"export KRB5_CONFIG='{dir}/krb5.conf'\nexport KRB5_KDC_PROFILE='{dir}/kdc.conf'\n"
            + $"export KRB5_KTNAME='FILE:{dir}/service.keytab'\nexport KRB5CCNAME='FILE:{dir}/ccache'\n",
            Realm.ExportLines());
    }

    [Fact]
    public async Task Open_describes_an_existing_realm_and_returns_null_otherwise()
    {
        var opened = DevRealm.Open(Realm.Directory);
        Assert.NotNull(opened);
        Assert.Equal(Realm.KdcPort, opened.KdcPort);
        Assert.Equal(Realm.RealmName, opened.RealmName);
        Assert.True(opened.IsKdcRunning);

        var empty = Path.Combine(Path.GetTempPath(), "actorauth-devrealm-" + Guid.NewGuid().ToString("N"));
        Assert.Null(DevRealm.Open(empty));
        await DevRealm.DownAsync(empty, CancellationToken.None);
    }
}
