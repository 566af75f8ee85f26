namespace ActorAuth.Security.Tests;

[Collection(RealmCollection.Name)]
public sealed class ProviderTests(RealmFixture realm)
{
    [Fact]
    public void Auto_resolves_to_GssApi_where_libgssapi_krb5_loads()
    {
        using ServerCredential credential = ServerCredential.Acquire(new ServerCredentialOptions(), SecurityProvider.Auto);

        Assert.Equal(SecurityProvider.GssApi, credential.Provider);
    }

    [Fact]
    public void GssApi_acceptor_credential_on_a_missing_keytab_throws_naming_the_file()
    {
        string missing = Path.Combine(realm.Realm.Directory, "missing.keytab");

        SecurityPackageException error = WithKeytab("FILE:" + missing, () => Assert.Throws<SecurityPackageException>(() =>
            ServerCredential.Acquire(new ServerCredentialOptions(), SecurityProvider.GssApi)));

        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public void GssApi_acceptor_credential_on_a_corrupt_keytab_throws_with_MIT_reason_and_the_file()
    {
        string corrupt = Path.Combine(realm.Realm.Directory, "corrupt.keytab");
        File.WriteAllBytes(corrupt, [0x05, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x01, 0x02, 0x03]);

        SecurityPackageException error = WithKeytab("FILE:" + corrupt, () => Assert.Throws<SecurityPackageException>(() =>
            ServerCredential.Acquire(new ServerCredentialOptions { Package = SecurityPackages.Kerberos }, SecurityProvider.GssApi)));

        Assert.Contains(corrupt, error.Message);
        Assert.Contains("MIT:", error.Message);
    }

    [Fact]
    public void GssApi_acceptor_keeps_the_keytabs_keys_in_memory_once_the_file_is_removed()
    {
        using ServerCredential server = AcquireFromCopyOfKeytab(out string copy);
        File.Delete(copy);

        using var client = new ClientSecurityContext(new ClientContextOptions { Package = SecurityPackages.Kerberos, TargetName = RealmFixture.ServicePrincipal });
        using ServerSecurityContext accepted = server.CreateContext();
        SecurityStatus clientStatus = client.Initialize([], out byte[]? apReq);
        SecurityStatus serverStatus = accepted.Accept(apReq, out byte[]? apRep);

        Assert.True(serverStatus.Code == SecurityStatusCode.Completed, $"client {clientStatus}, server {serverStatus}");
        Assert.Equal(SecurityStatusCode.Completed, client.Initialize(apRep, out _).Code);
    }

    [Fact]
    public void GssApi_acceptor_contexts_made_while_the_keytab_keeps_changing_all_work()
    {
        using ServerCredential server = AcquireFromCopyOfKeytab(out string copy);
        DateTime stamp = File.GetLastWriteTimeUtc(copy);
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();

        // Every tenth context first gives the file a new modification time, so about 200 reloads happen while
        // other threads are making contexts from the credentials being replaced.
        Parallel.For(0, 2_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            try
            {
                if (i % 10 == 0)
                {
                    File.SetLastWriteTimeUtc(copy, stamp.AddSeconds(i + 1));
                }

                server.CreateContext().Dispose();
            }
            catch (Exception e)
            {
                failures.Add($"{i}: {e.GetType().Name}: {e.Message}");
            }
        });

        Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(5)));
        using var client = new ClientSecurityContext(new ClientContextOptions { Package = SecurityPackages.Kerberos, TargetName = RealmFixture.ServicePrincipal });
        using ServerSecurityContext accepted = server.CreateContext();
        client.Initialize([], out byte[]? apReq);
        Assert.Equal(SecurityStatusCode.Completed, accepted.Accept(apReq, out _).Code);
    }

    /// <summary>A Kerberos acceptor credential over a copy of the service keytab the test may change or delete.</summary>
    private ServerCredential AcquireFromCopyOfKeytab(out string copy)
    {
        copy = Path.Combine(realm.Realm.Directory, $"copy-{Guid.NewGuid():N}.keytab");
        File.Copy(realm.Realm.KeytabPath, copy);
        return WithKeytab("FILE:" + copy, () =>
            ServerCredential.Acquire(new ServerCredentialOptions { Package = SecurityPackages.Kerberos }, SecurityProvider.GssApi));
    }

    /// <summary>Runs <paramref name="action"/> with KRB5_KTNAME changed in the C environment, and restores it.</summary>
    private T WithKeytab<T>(string keytab, Func<T> action)
    {
        string original = realm.Realm.Environment["KRB5_KTNAME"];
        KerberosEnvironment.Apply(new Dictionary<string, string> { ["KRB5_KTNAME"] = keytab });
        try
        {
            return action();
        }
        finally
        {
            KerberosEnvironment.Apply(new Dictionary<string, string> { ["KRB5_KTNAME"] = original });
        }
    }
}
