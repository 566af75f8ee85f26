using System.Formats.Asn1;
using System.Net;
using System.Net.Security;
using ActorAuth.Security;
using Xunit;

namespace ActorAuth.Integration.Tests.Http;

/// <summary>
/// A two-leg SPNEGO handshake over HTTP (RFC 4559 section 5): the client's NegTokenInit offers Kerberos without an
/// optimistic token, so the server's first answer is a 401 carrying its continue token, and the context stays bound
/// to that connection for the client's next leg (the Kerberos AP-REQ in a NegTokenResp).
/// </summary>
[Collection(RealmCollection.Name)]
public sealed class MultiLegTests(RealmFixture realm) : IAsyncLifetime
{
    private const string SpnegoOid = "1.3.6.1.5.5.2", KerberosOid = "1.2.840.113554.1.2.2";
    private HttpSite _site = null!;

    public async Task InitializeAsync() => _site = await HttpSite.StartAsync(realm);

    public async Task DisposeAsync() => await _site.DisposeAsync();

    /// <summary>RFC 4178 NegTokenInit with mechTypes [Kerberos] and no mechToken, in the RFC 2743 framing.</summary>
    private static byte[] InitWithoutOptimisticToken()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence(new Asn1Tag(TagClass.Application, 0, isConstructed: true)))
        {
            writer.WriteObjectIdentifier(SpnegoOid);
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            using (writer.PushSequence())
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(KerberosOid);
            }
        }

        return writer.Encode();
    }

    /// <summary>RFC 4178 NegTokenResp carrying <paramref name="responseToken"/>.</summary>
    private static byte[] Resp(byte[] responseToken)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1, isConstructed: true)))
        using (writer.PushSequence())
        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 2, isConstructed: true)))
        {
            writer.WriteOctetString(responseToken);
        }

        return writer.Encode();
    }

    private byte[] AliceKerberosToken()
    {
        using var context = new ClientSecurityContext(new ClientContextOptions
        {
            Package = SecurityPackages.Kerberos,
            TargetName = "HTTP/localhost",
            Credential = _site.CredentialOf("alice"),
            RequiredProtectionLevel = ProtectionLevel.None,
        });
        context.Initialize([], out byte[]? token);
        return token!;
    }

    private async Task<HttpResponseMessage> GetAsync(HttpClient http, byte[] token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, _site.Url("/whoami"));
        request.Headers.TryAddWithoutValidation("Authorization", "Negotiate " + Convert.ToBase64String(token));
        return await http.SendAsync(request);
    }

    [Fact]
    public async Task A_continue_leg_answers_401_with_the_servers_token_and_the_next_leg_on_that_connection_completes()
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 1 });

        using HttpResponseMessage first = await GetAsync(http, InitWithoutOptimisticToken());
        using HttpResponseMessage second = await GetAsync(http, Resp(AliceKerberosToken()));

        Assert.Equal(HttpStatusCode.Unauthorized, first.StatusCode);
        Assert.False(string.IsNullOrEmpty(Assert.Single(first.Headers.WwwAuthenticate).Parameter), "a continue leg carries the server's token");
        Assert.True(second.StatusCode == HttpStatusCode.OK, $"{second.StatusCode}\n{_site.Server.Log}");
        Assert.Contains("alice@ACTORAUTH.TEST", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("in 2 leg(s)", _site.Server.Log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_next_leg_on_another_connection_finds_no_context_and_is_refused()
    {
        using var first = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var other = new HttpClient(new SocketsHttpHandler { UseProxy = false });

        using HttpResponseMessage opened = await GetAsync(first, InitWithoutOptimisticToken());
        using HttpResponseMessage elsewhere = await GetAsync(other, Resp(AliceKerberosToken()));

        Assert.Equal(HttpStatusCode.Unauthorized, opened.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, elsewhere.StatusCode);
        Assert.DoesNotContain("alice@ACTORAUTH.TEST", await elsewhere.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_context_left_waiting_is_disposed_when_its_connection_closes()
    {
        using (var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }))
        {
            using HttpResponseMessage opened = await GetAsync(http, InitWithoutOptimisticToken());
            Assert.Equal(HttpStatusCode.Unauthorized, opened.StatusCode);
            Assert.Equal(1, _site.Server.Metrics.LiveContexts);
        }

        Assert.True(await TestServer.EventuallyAsync(() => _site.Server.Metrics.LiveContexts == 0 && _site.Server.Metrics.LiveHandshakes == 0),
            $"contexts {_site.Server.Metrics.LiveContexts}\n{_site.Server.Log}");
    }
}
