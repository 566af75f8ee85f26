using ActorAuth.Security.Kerberos;

namespace ActorAuth.Security.Tests;

/// <summary>
/// The AP-REQ reader and replay tag on real first tokens from the dev realm's KDC (ActorAuth's client and .NET's
/// NegotiateAuthentication), and on those AP-REQs re-wrapped or rewritten; MIT's own acceptor shows which parts
/// of an AP-REQ it authenticates.
/// </summary>
[Collection(RealmCollection.Name)]
public sealed class ReplayTagTests(RealmFixture realm)
{
    private const string Service = RealmFixture.ServicePrincipal + "@ACTORAUTH.TEST";

    [Fact]
    public void A_Kerberos_first_token_yields_a_tag_and_names_the_service()
    {
        byte[] token = ApReqTokens.FirstToken(SecurityPackages.Kerberos);

        Assert.Equal(ApReqStatus.Found, ApReqReader.TryRead(token, out ApReq apReq));
        Assert.Equal(ApReqCarrier.Gss, apReq.Carrier);
        Assert.Equal(Service, apReq.FormatServerPrincipal());
        Assert.Null(apReq.AuthenticatorKvno);
        Assert.True(apReq.AuthenticatorCipher.Length > 16, $"cipher of {apReq.AuthenticatorCipher.Length} bytes");
        Assert.Equal(ApReqStatus.Found, ReplayTag.TryCompute(token, out ReplayTag tag));
        Assert.Equal(ReplayTag.Of(apReq.AuthenticatorCipher), tag);
    }

    [Fact]
    public void A_Negotiate_first_token_yields_the_tag_of_its_Kerberos_mechToken()
    {
        byte[] token = ApReqTokens.FirstToken(SecurityPackages.Negotiate);

        Assert.Equal(ApReqStatus.Found, ApReqReader.TryRead(token, out ApReq apReq));
        Assert.Equal(ApReqCarrier.SpnegoInit, apReq.Carrier);
        Assert.Equal(Service, apReq.FormatServerPrincipal());
        Assert.Equal(TagOf(ApReqTokens.MechToken(token)), TagOf(token));
    }

    [Theory]
    [InlineData(SecurityPackages.Kerberos, ApReqCarrier.Gss)]
    [InlineData(SecurityPackages.Negotiate, ApReqCarrier.SpnegoInit)]
    public void NegotiateAuthentication_client_first_tokens_yield_a_tag(string package, ApReqCarrier carrier)
    {
        byte[] token = ApReqTokens.NegotiateAuthenticationFirstToken(package);

        Assert.Equal(ApReqStatus.Found, ApReqReader.TryRead(token, out ApReq apReq));
        Assert.Equal(carrier, apReq.Carrier);
        Assert.Equal(Service, apReq.FormatServerPrincipal());
    }

    [Theory]
    [MemberData(nameof(Enctypes))]
    public void Each_enctypes_authenticator_yields_a_tag_and_names_its_service(string enctype, int number)
    {
        byte[] token = ApReqTokens.FirstToken(SecurityPackages.Kerberos, RealmFixture.EnctypePrincipal(enctype));

        Assert.Equal(ApReqStatus.Found, ApReqReader.TryRead(token, out ApReq apReq));
        Assert.Equal(number, apReq.AuthenticatorEtype);
        Assert.Equal(RealmFixture.EnctypePrincipal(enctype) + "@ACTORAUTH.TEST", apReq.FormatServerPrincipal());
    }

    public static TheoryData<string, int> Enctypes => new()
    {
        { "aes128-cts-hmac-sha1-96", 17 },
        { "aes256-cts-hmac-sha1-96", 18 },
        { "aes128-cts-hmac-sha256-128", 19 },
        { "aes256-cts-hmac-sha384-192", 20 },
    };

    [Fact]
    public void The_same_token_read_twice_yields_the_same_tag()
    {
        byte[] token = ApReqTokens.FirstToken(SecurityPackages.Kerberos);

        Assert.Equal(TagOf(token), TagOf((byte[])token.Clone()));
    }

    [Theory]
    [InlineData(SecurityPackages.Kerberos)]
    [InlineData(SecurityPackages.Negotiate)]
    public void Two_handshakes_of_the_same_user_yield_different_tags(string package) =>
        Assert.NotEqual(
            TagOf(ApReqTokens.FirstToken(package, credential: realm.AlicePassword)),
            TagOf(ApReqTokens.FirstToken(package, credential: realm.AlicePassword)));

    [Fact]
    public void One_AP_REQ_yields_one_tag_bare_GSS_framed_under_either_Kerberos_OID_in_a_NegTokenInit_and_in_a_NegTokenResp()
    {
        byte[] gss = ApReqTokens.FirstToken(SecurityPackages.Kerberos);
        byte[] bare = ApReqTokens.BareApReq(gss);
        byte[] microsoft = ApReqTokens.Gss(ApReqTokens.MicrosoftKerberosOid, bare);
        ReplayTag expected = TagOf(gss);

        foreach ((byte[] token, ApReqCarrier carrier) in new[]
        {
            (bare, ApReqCarrier.Bare),
            (microsoft, ApReqCarrier.Gss),
            (ApReqTokens.NegTokenInit(gss), ApReqCarrier.SpnegoInit),
            (ApReqTokens.NegTokenInit(microsoft, ApReqTokens.MicrosoftKerberosOid), ApReqCarrier.SpnegoInit),
            (ApReqTokens.NegTokenInit(bare), ApReqCarrier.SpnegoInit),
            (ApReqTokens.NegTokenResp(gss), ApReqCarrier.SpnegoResponse),
        })
        {
            Assert.Equal(ApReqStatus.Found, ApReqReader.TryRead(token, out ApReq apReq));
            Assert.Equal(carrier, apReq.Carrier);
            Assert.Equal(expected, ReplayTag.Of(apReq.AuthenticatorCipher));
        }
    }

    [Fact]
    public void MIT_accepts_an_AP_REQ_whose_clear_sname_was_rewritten()
    {
        // Why the tag leaves the sname out: the acceptor (GSS_C_NO_NAME) tries every keytab key and ignores it.
        byte[] rewritten = ApReqTokens.Gss(ApReqTokens.KerberosOid,
            ApReqTokens.WithServerName(ApReqTokens.BareApReq(ApReqTokens.FirstToken(SecurityPackages.Kerberos)), "not-a-service", "elsewhere"));
        Assert.Equal(ApReqStatus.Found, ApReqReader.TryRead(rewritten, out ApReq apReq));
        Assert.Equal("not-a-service/elsewhere@ACTORAUTH.TEST", apReq.FormatServerPrincipal());

        SecurityStatus accepted = Accept(rewritten);

        Assert.False(accepted.IsError, accepted.ToString());
    }

    [Fact]
    public void MIT_refuses_the_original_AP_REQ_after_the_rewritten_one_as_a_replay()
    {
        // MIT's rcache2 key is the authenticator's checksum alone: the server name is not part of it.
        byte[] original = ApReqTokens.FirstToken(SecurityPackages.Kerberos);
        byte[] rewritten = ApReqTokens.Gss(ApReqTokens.KerberosOid, ApReqTokens.WithServerName(ApReqTokens.BareApReq(original), "HTTP", "localhost"));
        SecurityStatus first = Accept(rewritten);
        Assert.False(first.IsError, first.ToString());

        SecurityStatus replayed = Accept(original);

        Assert.True(replayed.IsError, replayed.ToString());
        Assert.Contains("replay", replayed.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void AP_REQs_that_differ_only_in_the_clear_sname_yield_the_same_tag()
    {
        byte[] bare = ApReqTokens.BareApReq(ApReqTokens.FirstToken(SecurityPackages.Kerberos));
        byte[] other = ApReqTokens.WithServerName(bare, "HTTP", "localhost");
        Assert.Equal(ApReqStatus.Found, ApReqReader.TryRead(other, out ApReq apReq));
        Assert.Equal("HTTP/localhost@ACTORAUTH.TEST", apReq.FormatServerPrincipal());

        Assert.Equal(TagOf(bare), TagOf(other));
    }

    [Theory]
    [InlineData(SecurityPackages.Kerberos)]
    [InlineData(SecurityPackages.Negotiate)]
    public void The_servers_reply_token_carries_no_AP_REQ(string package)
    {
        using ServerCredential credential = ServerCredential.Acquire(new ServerCredentialOptions { Package = package }, SecurityProvider.GssApi);
        using var client = new ClientSecurityContext(new ClientContextOptions { Package = package, TargetName = RealmFixture.ServicePrincipal }, SecurityProvider.GssApi);
        using ServerSecurityContext server = credential.CreateContext();
        client.Initialize([], out byte[]? first);
        SecurityStatus accepted = server.Accept(first, out byte[]? reply);
        Assert.False(accepted.IsError, accepted.ToString());
        Assert.NotNull(reply);

        Assert.Equal(ApReqStatus.NoApReq, ApReqReader.TryRead(reply, out _));
    }

    [Theory]
    [InlineData(SecurityPackages.Kerberos)]
    [InlineData(SecurityPackages.Negotiate)]
    public void Every_truncated_prefix_of_a_real_token_is_malformed(string package)
    {
        byte[] token = ApReqTokens.FirstToken(package);

        for (int length = 1; length < token.Length; length++)
        {
            ApReqStatus status = ApReqReader.TryRead(token.AsSpan(0, length), out _);
            Assert.True(status == ApReqStatus.Malformed, $"{package} prefix of {length}/{token.Length} bytes: {status}");
        }
    }

    [Fact]
    public void A_byte_after_the_AP_REQ_makes_each_carrier_malformed()
    {
        byte[] gss = ApReqTokens.FirstToken(SecurityPackages.Kerberos);
        byte[] bare = ApReqTokens.BareApReq(gss);

        foreach (byte[] token in new[]
        {
            [.. bare, 0x00],
            [.. gss, 0x00],
            ApReqTokens.Gss(ApReqTokens.KerberosOid, [.. bare, 0x00]),
            ApReqTokens.NegTokenInit([.. gss, 0x00]),
            [.. ApReqTokens.NegTokenInit(gss), 0x00],
            [.. ApReqTokens.NegTokenResp(gss), 0x00],
        })
        {
            Assert.Equal(ApReqStatus.Malformed, ApReqReader.TryRead(token, out _));
        }
    }

    [Fact]
    public void An_AP_REQ_with_a_non_minimal_length_is_malformed()
    {
        byte[] bare = ApReqTokens.BareApReq(ApReqTokens.FirstToken(SecurityPackages.Kerberos));
        Assert.Equal(0x82, bare[1]); // 6E 82 hi lo: a few hundred bytes
        byte[] longer = [0x6E, 0x83, 0x00, .. bare[2..]];

        Assert.Equal(ApReqStatus.Malformed, ApReqReader.TryRead(longer, out _));
    }

    [Theory]
    [InlineData(SecurityPackages.Kerberos)]
    [InlineData(SecurityPackages.Negotiate)]
    public void Computing_the_tag_of_a_real_token_allocates_nothing(string package)
    {
        byte[] token = ApReqTokens.FirstToken(package);
        ReplayTag.TryCompute(token, out _); // JIT and type initialisation

        long before = GC.GetAllocatedBytesForCurrentThread();
        ApReqStatus status = ReplayTag.TryCompute(token, out _);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(ApReqStatus.Found, status);
        Assert.Equal(0, allocated);
    }

    private static ReplayTag TagOf(byte[] token)
    {
        ApReqStatus status = ReplayTag.TryCompute(token, out ReplayTag tag);
        Assert.True(status == ApReqStatus.Found, $"{status}: {Convert.ToHexStringLower(token)}");
        return tag;
    }

    private static SecurityStatus Accept(byte[] token)
    {
        using ServerCredential credential = ServerCredential.Acquire(new ServerCredentialOptions { Package = SecurityPackages.Kerberos }, SecurityProvider.GssApi);
        using ServerSecurityContext server = credential.CreateContext();
        return server.Accept(token, out _);
    }
}
