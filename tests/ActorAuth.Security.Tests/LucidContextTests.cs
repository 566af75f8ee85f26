using ActorAuth.Security.Kerberos;

namespace ActorAuth.Security.Tests;

/// <summary>
/// <see cref="GssApiLucidContext.Export"/> after real MIT handshakes against the realm's per-enctype service
/// principals: both sides' exports describe the same RFC 4121 context seen from either end.
/// </summary>
[Collection(RealmCollection.Name)]
public sealed class LucidContextTests
{
    private const int Aes256Sha1 = 18;

    public static TheoryData<string, int> KeyLengths() => new()
    {
        { "aes128-cts-hmac-sha1-96", 16 },
        { "aes256-cts-hmac-sha1-96", 32 },
        { "aes128-cts-hmac-sha256-128", 16 },
        { "aes256-cts-hmac-sha384-192", 32 },
    };

    public static TheoryData<string> Enctypes() => new(RealmFixture.Enctypes);

    [Theory]
    [MemberData(nameof(Enctypes))]
    public void Both_sides_export_protocol_1_RFC_4121(string enctype)
    {
        (LucidContext initiator, LucidContext acceptor) = ExportBoth(SecurityPackages.Kerberos, enctype);

        Assert.Equal((1, 1), (initiator.Protocol, acceptor.Protocol));
    }

    [Theory]
    [MemberData(nameof(Enctypes))]
    public void Both_sides_export_the_same_protection_key_of_the_negotiated_enctype(string enctype)
    {
        (LucidContext initiator, LucidContext acceptor) = ExportBoth(SecurityPackages.Kerberos, enctype);

        Assert.Equal(NumberOf(enctype), initiator.ProtectionKey.Enctype);
        Assert.Equal(initiator.ProtectionKey.Enctype, acceptor.ProtectionKey.Enctype);
        Assert.Equal(initiator.ProtectionKey.Key, acceptor.ProtectionKey.Key);
    }

    [Theory]
    [MemberData(nameof(KeyLengths))]
    public void The_protection_key_has_the_length_of_its_enctype(string enctype, int keyLength)
    {
        (LucidContext initiator, _) = ExportBoth(SecurityPackages.Kerberos, enctype);

        Assert.Equal(keyLength, initiator.ProtectionKey.Key.Length);
    }

    [Theory]
    [MemberData(nameof(Enctypes))]
    public void With_MITs_defaults_the_acceptor_subkey_is_aes256_sha1_whatever_the_ticket(string enctype)
    {
        // The context key is the ticket's session key (the principal's session_enctypes); the acceptor subkey is
        // the first enctype of the initiator's RFC 4537 list both sides permit, aes256-cts-hmac-sha1-96 by default.
        using GssContextPair pair = GssContextPair.Established(SecurityPackages.Kerberos, RealmFixture.EnctypePrincipal(enctype));
        LucidContext? acceptor = GssApiLucidContext.Export(pair.Acceptor, out SecurityStatus status);
        Assert.True(acceptor is not null, status.ToString());

        Assert.Equal((NumberOf(enctype), Aes256Sha1), (acceptor.ContextKeyType, acceptor.AcceptorSubkeyType));
    }

    [Theory]
    [MemberData(nameof(Enctypes))]
    public void Both_sides_export_the_same_context_key(string enctype)
    {
        (LucidContext initiator, LucidContext acceptor) = ExportBoth(SecurityPackages.Kerberos, enctype);

        Assert.Equal(initiator.ContextKeyType, acceptor.ContextKeyType);
        Assert.Equal(initiator.ContextKey, acceptor.ContextKey);
    }

    [Fact]
    public void The_initiator_exports_IsInitiator_and_the_acceptor_does_not()
    {
        (LucidContext initiator, LucidContext acceptor) = ExportBoth(SecurityPackages.Kerberos, RealmFixture.Enctypes[0]);

        Assert.Equal((true, false), (initiator.IsInitiator, acceptor.IsInitiator));
    }

    [Theory]
    [MemberData(nameof(Enctypes))]
    public void Sequence_numbers_mirror_each_other(string enctype)
    {
        (LucidContext initiator, LucidContext acceptor) = ExportBoth(SecurityPackages.Kerberos, enctype);

        Assert.Equal(initiator.SendSequence, acceptor.ReceiveSequence);
        Assert.Equal(acceptor.SendSequence, initiator.ReceiveSequence);
    }

    [Fact]
    public void A_mutual_handshake_has_an_acceptor_subkey_on_both_sides()
    {
        // MIT's acceptor asserts a subkey in its AP-REP whenever the context is RFC 4121 and mutual.
        (LucidContext initiator, LucidContext acceptor) = ExportBoth(SecurityPackages.Kerberos, RealmFixture.Enctypes[0]);

        Assert.Equal((true, true), (initiator.HaveAcceptorSubkey, acceptor.HaveAcceptorSubkey));
        Assert.Equal(initiator.AcceptorSubkey, acceptor.AcceptorSubkey);
    }

    [Theory]
    [MemberData(nameof(Enctypes))]
    public void A_context_negotiated_through_SPNEGO_exports_the_same_key_on_both_sides(string enctype)
    {
        (LucidContext initiator, LucidContext acceptor) = ExportBoth(SecurityPackages.Negotiate, enctype);

        Assert.Equal((1, 1), (initiator.Protocol, acceptor.Protocol));
        Assert.Equal(initiator.ProtectionKey.Key, acceptor.ProtectionKey.Key);
    }

    [Fact]
    public void A_context_negotiated_through_SPNEGO_exports_mirrored_sequence_numbers()
    {
        (LucidContext initiator, LucidContext acceptor) = ExportBoth(SecurityPackages.Negotiate, RealmFixture.Enctypes[0]);

        Assert.Equal((initiator.SendSequence, acceptor.SendSequence), (acceptor.ReceiveSequence, initiator.ReceiveSequence));
    }

    [Fact]
    public void Export_leaves_the_handle_without_a_context()
    {
        using GssContextPair pair = GssContextPair.Established(SecurityPackages.Kerberos, RealmFixture.ServicePrincipal);

        GssApiLucidContext.Export(pair.Initiator, out SecurityStatus status)?.ClearKeys();

        Assert.Equal(SecurityStatusCode.Completed, status.Code);
        Assert.True(pair.Initiator.IsInvalid); // so disposing it (in pair.Dispose) deletes nothing twice
    }

    [Fact]
    public void Exporting_an_already_exported_context_fails()
    {
        using GssContextPair pair = GssContextPair.Established(SecurityPackages.Kerberos, RealmFixture.ServicePrincipal);
        GssApiLucidContext.Export(pair.Acceptor, out _)?.ClearKeys();

        LucidContext? again = GssApiLucidContext.Export(pair.Acceptor, out SecurityStatus status);

        Assert.Null(again);
        Assert.Equal(SecurityStatusCode.Failure, status.Code);
        Assert.Contains("already exported", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Exporting_an_incomplete_context_fails_and_keeps_it()
    {
        using GssContextPair pair = GssContextPair.Create(SecurityPackages.Kerberos, RealmFixture.ServicePrincipal);
        _ = pair.Initiate([]); // the AP-REQ: the initiator now waits for the AP-REP

        LucidContext? lucid = GssApiLucidContext.Export(pair.Initiator, out SecurityStatus status);

        Assert.Null(lucid);
        Assert.Equal(SecurityStatusCode.Failure, status.Code);
        Assert.Contains("MIT:", status.Message, StringComparison.Ordinal);
        Assert.False(pair.Initiator.IsInvalid);
    }

    [Fact]
    public void Exporting_an_incomplete_SPNEGO_context_fails_and_keeps_it()
    {
        using GssContextPair pair = GssContextPair.Create(SecurityPackages.Negotiate, RealmFixture.ServicePrincipal);
        _ = pair.Initiate([]);

        LucidContext? lucid = GssApiLucidContext.Export(pair.Initiator, out SecurityStatus status);

        Assert.Null(lucid);
        Assert.Equal(SecurityStatusCode.Failure, status.Code);
        Assert.False(pair.Initiator.IsInvalid);
    }

    [Fact]
    public void SPNEGO_completes_with_the_krb5_mechanism()
    {
        using GssContextPair pair = GssContextPair.Established(SecurityPackages.Negotiate, RealmFixture.ServicePrincipal);

        Assert.Equal(SecurityPackages.Kerberos, pair.AcceptedPackage);
    }

    /// <summary>RFC 3962 and RFC 8009 enctype numbers.</summary>
    internal static int NumberOf(string enctype) => enctype switch
    {
        "aes128-cts-hmac-sha1-96" => 17,
        "aes256-cts-hmac-sha1-96" => Aes256Sha1,
        "aes128-cts-hmac-sha256-128" => 19,
        "aes256-cts-hmac-sha384-192" => 20,
        _ => throw new ArgumentOutOfRangeException(nameof(enctype), enctype, "not an enctype of the realm"),
    };

    /// <summary>A handshake against <paramref name="enctype"/>'s principal whose initiator offers only that enctype, exported on both sides.</summary>
    private static (LucidContext Initiator, LucidContext Acceptor) ExportBoth(string package, string enctype)
    {
        using GssContextPair pair = GssContextPair.Established(package, RealmFixture.EnctypePrincipal(enctype), NumberOf(enctype));
        LucidContext? initiator = GssApiLucidContext.Export(pair.Initiator, out SecurityStatus initiatorStatus);
        LucidContext? acceptor = GssApiLucidContext.Export(pair.Acceptor, out SecurityStatus acceptorStatus);
        Assert.True(initiator is not null, initiatorStatus.ToString());
        Assert.True(acceptor is not null, acceptorStatus.ToString());
        return (initiator, acceptor);
    }
}
