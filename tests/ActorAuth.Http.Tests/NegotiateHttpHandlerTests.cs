using System.Net;
using ActorAuth.Client;
using ActorAuth.Client.Http;
using ActorAuth.Security;

namespace ActorAuth.Http.Tests;

/// <summary><see cref="NegotiateHttpHandler"/> against the real Apache with mod_auth_gssapi, and against an impostor.</summary>
[Collection(HttpCollection.Name)]
public sealed class NegotiateHttpHandlerTests(HttpFixture http) : IDisposable
{
    private readonly ClientCredential _alice = ClientCredential.Acquire(new ClientCredentialOptions
    {
        Credential = new NetworkCredential("alice", http.Realm.Realm.PasswordOf("alice")),
    });

    public void Dispose() => _alice.Dispose();

    [Fact]
    public async Task The_handler_fetches_a_protected_document_from_Apache_and_reports_mutual_authentication()
    {
        using HttpClient client = ActorAuthClient.CreateHttpClient(new NegotiateHttpOptions { SharedCredential = _alice });

        using HttpResponseMessage response = await client.GetAsync(http.Apache.Url("docs/report.txt"));

        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}\n{http.Apache.Diagnostics()}");
        Assert.Equal(HttpFixture.Documents["docs/report.txt"], body);
        NegotiateHttpAuthentication? authentication = response.GetNegotiateAuthentication();
        Assert.NotNull(authentication);
        Assert.True(authentication.IsMutuallyAuthenticated);
        Assert.Equal("HTTP/localhost", authentication.ServerPrincipal);
        Assert.Equal("alice@ACTORAUTH.TEST", authentication.ClientPrincipal);
        Assert.Equal(SecurityPackages.Kerberos, authentication.Package);
        Assert.Equal(1, authentication.Legs);
    }

    [Fact]
    public async Task A_preemptive_token_is_accepted_by_Apache_without_the_401_round_trip()
    {
        using HttpClient client = ActorAuthClient.CreateHttpClient(new NegotiateHttpOptions { SharedCredential = _alice, Preemptive = true });

        using HttpResponseMessage response = await client.GetAsync(http.Apache.Url("index.html"));

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}\n{http.Apache.Diagnostics()}");
        Assert.True(response.GetNegotiateAuthentication()?.Preemptive);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("oRQwEqADCgEAoQsGCSqGSIb3EgECAg==")]
    public async Task A_200_without_a_token_that_proves_the_server_is_refused(string? finalToken)
    {
        await using HostileHttpServer impostor = HostileHttpServer.Start(finalToken);
        using HttpClient client = ActorAuthClient.CreateHttpClient(new NegotiateHttpOptions { SharedCredential = _alice, ServicePrincipalName = "HTTP/localhost" });

        MutualAuthenticationException refused = await Assert.ThrowsAsync<MutualAuthenticationException>(() => client.GetAsync(impostor.Url));

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Equal("HTTP/localhost", refused.ServerPrincipal);
        Assert.Contains("prove it holds the keys of HTTP/localhost", refused.Message, StringComparison.Ordinal);
        Assert.Equal(2, impostor.Requests.Count);
    }

    [Fact]
    public async Task A_request_body_is_sent_again_with_the_token_after_the_401()
    {
        await using HostileHttpServer server = HostileHttpServer.Start(finalToken: null);
        using HttpClient client = ActorAuthClient.CreateHttpClient(new NegotiateHttpOptions { SharedCredential = _alice, ServicePrincipalName = "HTTP/localhost" });
        using var content = new StreamContent(new MemoryStream("the order"u8.ToArray()));

        await Assert.ThrowsAsync<MutualAuthenticationException>(() => client.PostAsync(server.Url, content));

        Assert.Collection(server.Requests,
            first => Assert.Equal(("", "the order"), first),
            second => Assert.Equal(("Negotiate", "the order"), (second.Authorization.Split(' ')[0], second.Body)));
    }
}
