using System.Diagnostics;
using System.Net;

namespace ActorAuth.Security.Tests;

/// <summary>A client credential acquired once and shared by many contexts, against the real KDC.</summary>
[Collection(RealmCollection.Name)]
public sealed class ClientCredentialTests(RealmFixture realm)
{
    [Theory]
    [InlineData(SecurityPackages.Negotiate)]
    [InlineData(SecurityPackages.Kerberos)]
    public void Contexts_from_one_shared_credential_authenticate_mutually_as_its_principal(string package)
    {
        using ClientCredential credential = ClientCredential.Acquire(new ClientCredentialOptions { Package = package }, SecurityProvider.GssApi);
        using ServerCredential server = ServerCredential.Acquire(new ServerCredentialOptions { Package = package });

        for (int i = 0; i < 3; i++)
        {
            using ClientSecurityContext client = credential.CreateContext(RealmFixture.ServicePrincipal);
            using ServerSecurityContext accepted = server.CreateContext();
            (SecurityStatus clientStatus, SecurityStatus serverStatus) = Handshake.Between(client, accepted);

            Assert.True(clientStatus.Code == SecurityStatusCode.Completed && serverStatus.Code == SecurityStatusCode.Completed, $"context {i}: client {clientStatus}, server {serverStatus}");
            Assert.True(client.Attributes.HasFlag(ContextAttributes.MutualAuthentication));
            Assert.Equal(RealmFixture.Alice, accepted.ClientPrincipal);
        }

        Assert.Equal(RealmFixture.Alice, credential.Principal);
        Assert.True(credential.ExpiresAt > DateTimeOffset.UtcNow.AddHours(1), $"expires {credential.ExpiresAt}");
    }

    [Fact]
    public void Contexts_from_one_shared_credential_on_many_threads_all_complete()
    {
        using ClientCredential credential = ClientCredential.Acquire(provider: SecurityProvider.GssApi);
        using ServerCredential server = ServerCredential.Acquire(new ServerCredentialOptions());
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();

        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            using ClientSecurityContext client = credential.CreateContext(RealmFixture.ServicePrincipal);
            using ServerSecurityContext accepted = server.CreateContext();
            (SecurityStatus clientStatus, SecurityStatus serverStatus) = Handshake.Between(client, accepted);
            if (clientStatus.Code != SecurityStatusCode.Completed || serverStatus.Code != SecurityStatusCode.Completed)
            {
                failures.Add($"{i}: client {clientStatus}, server {serverStatus}");
            }
        });

        Assert.Empty(failures);
    }

    [Fact]
    public void A_shared_credential_keeps_its_tickets_in_memory_once_the_cache_file_is_gone()
    {
        string cache = Kinit("alice", lifetime: null);
        using ClientCredential credential = ClientCredential.Acquire(new ClientCredentialOptions { TicketCache = cache }, SecurityProvider.GssApi);
        File.Delete(cache["FILE:".Length..]);

        Assert.Equal(RealmFixture.Alice, AuthenticateOnce(credential));
    }

    [Fact]
    public void A_credential_whose_TGT_nears_expiry_is_copied_again_from_its_cache()
    {
        string cache = Kinit("alice", lifetime: "4m");
        using ClientCredential credential = ClientCredential.Acquire(new ClientCredentialOptions { TicketCache = cache }, SecurityProvider.GssApi);
        DateTimeOffset? shortLived = credential.ExpiresAt;
        Kinit("alice", lifetime: null, cache);

        using ClientSecurityContext client = credential.CreateContext(RealmFixture.ServicePrincipal);

        Assert.True(shortLived < DateTimeOffset.UtcNow.AddMinutes(5), $"the first TGT should live 4 minutes, expires {shortLived}");
        Assert.True(credential.ExpiresAt > DateTimeOffset.UtcNow.AddHours(1), $"after the refresh the TGT should be the renewed one, expires {credential.ExpiresAt}");
    }

    [Fact]
    public void A_credential_from_a_missing_ticket_cache_fails_at_acquire_naming_the_cache()
    {
        string missing = "FILE:" + Path.Combine(realm.Realm.Directory, "no-such-ccache");

        SecurityPackageException error = Assert.Throws<SecurityPackageException>(() =>
            ClientCredential.Acquire(new ClientCredentialOptions { TicketCache = missing }, SecurityProvider.GssApi));

        Assert.Contains(missing, error.Message);
        Assert.Contains("MIT:", error.Message);
    }

    [Fact]
    public void A_password_credential_with_a_wrong_password_fails_at_acquire_with_the_KDC_reason()
    {
        var wrong = new NetworkCredential("alice", "not-her-password", "ACTORAUTH.TEST");

        SecurityPackageException error = Assert.Throws<SecurityPackageException>(() =>
            ClientCredential.Acquire(new ClientCredentialOptions { Credential = wrong }, SecurityProvider.GssApi));

        Assert.Contains("alice@ACTORAUTH.TEST", error.Message);
        Assert.Contains("password", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_password_credential_authenticates_without_a_ticket_cache()
    {
        using ClientCredential credential = ClientCredential.Acquire(new ClientCredentialOptions { Credential = realm.AlicePassword }, SecurityProvider.GssApi);

        Assert.Equal(RealmFixture.Alice, AuthenticateOnce(credential));
        Assert.Equal(RealmFixture.Alice, credential.Principal);
    }

    [Fact]
    public void NegotiateAuthentication_refuses_a_named_ticket_cache_it_cannot_read()
    {
        SecurityPackageException error = Assert.Throws<SecurityPackageException>(() =>
            ClientCredential.Acquire(new ClientCredentialOptions { TicketCache = "FILE:/tmp/elsewhere" }, SecurityProvider.NegotiateAuthentication));

        Assert.Contains("KRB5CCNAME", error.Message);
    }

    /// <summary>One handshake with a fresh server credential; asserts both sides complete and returns the client principal the server saw.</summary>
    private static string AuthenticateOnce(ClientCredential credential)
    {
        using ServerCredential server = ServerCredential.Acquire(new ServerCredentialOptions());
        using ClientSecurityContext client = credential.CreateContext(RealmFixture.ServicePrincipal);
        using ServerSecurityContext accepted = server.CreateContext();
        (SecurityStatus clientStatus, SecurityStatus serverStatus) = Handshake.Between(client, accepted);
        Assert.True(clientStatus.Code == SecurityStatusCode.Completed && serverStatus.Code == SecurityStatusCode.Completed, $"client {clientStatus}, server {serverStatus}");
        return accepted.ClientPrincipal;
    }

    /// <summary>kinit into a cache of the test's own (a fresh one unless <paramref name="cache"/> is given).</summary>
    private string Kinit(string user, string? lifetime, string? cache = null)
    {
        cache ??= "FILE:" + Path.Combine(realm.Realm.Directory, $"ccache-{Guid.NewGuid():N}");
        var start = new ProcessStartInfo("kinit") { RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string argument in lifetime is null ? ["-c", cache, user] : new[] { "-l", lifetime, "-c", cache, user })
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string name, string value) in realm.Realm.Environment)
        {
            start.Environment[name] = value;
        }

        using Process kinit = Process.Start(start)!;
        kinit.StandardInput.WriteLine(realm.Realm.PasswordOf(user));
        kinit.StandardInput.Close();
        string errors = kinit.StandardError.ReadToEnd();
        kinit.WaitForExit();
        Assert.True(kinit.ExitCode == 0, $"kinit {user} failed: {errors}");
        return cache;
    }
}
