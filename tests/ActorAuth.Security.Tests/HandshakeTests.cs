namespace ActorAuth.Security.Tests;

[Collection(RealmCollection.Name)]
public sealed class HandshakeTests(RealmFixture realm)
{
    [Theory]
    [InlineData(SecurityPackages.Kerberos)]
    [InlineData(SecurityPackages.Negotiate)]
    public void GssApiServer_accepts_GssApiClient_mutually(string package) =>
        AssertMutual(SecurityProvider.GssApi, SecurityProvider.GssApi, package);

    [Theory]
    [InlineData(SecurityPackages.Kerberos)]
    [InlineData(SecurityPackages.Negotiate)]
    public void GssApiServer_accepts_NegotiateAuthenticationClient_mutually(string package) =>
        AssertMutual(SecurityProvider.GssApi, SecurityProvider.NegotiateAuthentication, package);

    [Theory]
    [InlineData(SecurityPackages.Kerberos)]
    [InlineData(SecurityPackages.Negotiate)]
    public void NegotiateAuthenticationServer_accepts_GssApiClient_mutually(string package) =>
        AssertMutual(SecurityProvider.NegotiateAuthentication, SecurityProvider.GssApi, package);

    [Theory]
    [InlineData(SecurityPackages.Kerberos)]
    [InlineData(SecurityPackages.Negotiate)]
    public void GssApiClient_with_a_password_gets_its_own_ticket(string package)
    {
        using Handshake handshake = Handshake.Run(SecurityProvider.GssApi, SecurityProvider.GssApi, package, credential: realm.AlicePassword);

        handshake.AssertCompleted();
        Assert.Equal(RealmFixture.Alice, handshake.Server.ClientPrincipal);
    }

    [Fact]
    public void GssApiServer_returns_MIT_reason_and_a_KRB_ERROR_for_a_ticket_it_has_no_key_for()
    {
        using ServerCredential credential = ServerCredential.Acquire(new ServerCredentialOptions { Package = SecurityPackages.Kerberos }, SecurityProvider.GssApi);
        using var client = new ClientSecurityContext(
            new ClientContextOptions { Package = SecurityPackages.Kerberos, TargetName = RealmFixture.KeylessServicePrincipal }, SecurityProvider.GssApi);
        using ServerSecurityContext server = credential.CreateContext();

        Assert.Equal(SecurityStatusCode.ContinueNeeded, client.Initialize([], out byte[]? apReq).Code);
        SecurityStatus accepted = server.Accept(apReq, out byte[]? krbError);

        Assert.Equal(SecurityStatusCode.InvalidCredentials, accepted.Code);
        Assert.Contains("keyless/localhost@ACTORAUTH.TEST not found in keytab", accepted.Message);
        Assert.NotNull(krbError);
        Assert.NotEmpty(krbError);

        // On another thread: MIT keeps the last extended error text per thread, and the server's text for the
        // same code would otherwise show up in the client's status, as it never would in a separate process.
        SecurityStatus initialized = default;
        var clientThread = new Thread(() => initialized = client.Initialize(krbError, out _));
        clientThread.Start();
        clientThread.Join();
        Assert.True(initialized.Code == SecurityStatusCode.InvalidCredentials, initialized.ToString());
        Assert.Contains("The ticket isn't for us", initialized.Message);
    }

    [Fact]
    public void GssApiClient_with_a_wrong_password_fails_with_MIT_reason()
    {
        using var client = new ClientSecurityContext(
            new ClientContextOptions
            {
                Package = SecurityPackages.Kerberos,
                TargetName = RealmFixture.ServicePrincipal,
                Credential = new System.Net.NetworkCredential("alice", "not-the-password", "ACTORAUTH.TEST"),
            },
            SecurityProvider.GssApi);

        SecurityStatus status = client.Initialize([], out byte[]? token);

        Assert.True(status.Code is SecurityStatusCode.InvalidCredentials or SecurityStatusCode.UnknownCredentials, status.ToString());
        Assert.True(status.Message.Contains("Preauthentication failed", StringComparison.Ordinal)
            || status.Message.Contains("Password incorrect", StringComparison.Ordinal), status.Message);
        Assert.Null(token);
    }

    private void AssertMutual(SecurityProvider serverProvider, SecurityProvider clientProvider, string package)
    {
        using Handshake handshake = Handshake.Run(serverProvider, clientProvider, package);

        handshake.AssertCompleted();
        Assert.True(handshake.Client.Attributes.HasFlag(ContextAttributes.MutualAuthentication));
        Assert.True(handshake.Server.Attributes.HasFlag(ContextAttributes.MutualAuthentication));
        Assert.Equal(RealmFixture.Alice, handshake.Server.ClientPrincipal);
        Assert.Equal(SecurityPackages.Kerberos, handshake.Server.Package);
        _ = realm;
    }
}
