using System.Security.Principal;
using System.Text;
using ActorAuth.Client;
using ActorAuth.Protocol;
using Xunit;

namespace ActorAuth.Integration.Tests;

/// <summary>
/// forward-whoami: S1 authenticates to S2 as the client with the credential the client delegated (its forwarded
/// TGT), and S2 sees the client — the seed's C → C/S1 → C/S2.
/// </summary>
[Collection(RealmCollection.Name)]
public sealed class DelegationTests(RealmFixture realm)
{
    private async Task<(TestServer S1, TestServer S2)> StartPairAsync()
    {
        TestServer s2 = await TestServer.StartAsync(realm);
        TestServer s1 = await TestServer.StartAsync(realm, ("delegation:targets:0", $"127.0.0.1:{s2.Port}"));
        return (s1, s2);
    }

    private static async Task<SessionReply> ForwardAsync(AuthenticatedChannel channel, string target)
    {
        await channel.SendAsync(Encoding.UTF8.GetBytes(target), "forward-whoami");
        return await channel.ReceiveAsync();
    }

    [Fact]
    public async Task A_client_that_delegated_reaches_the_second_service_as_itself()
    {
        (TestServer s1, TestServer s2) = await StartPairAsync();
        await using (s2)
        await using (s1)
        {
            await using AuthenticatedChannel alice = await s1.ConnectAsync("alice", impersonation: TokenImpersonationLevel.Delegation);

            SessionReply reply = await ForwardAsync(alice, $"127.0.0.1:{s2.Port} {RealmFixture.ServicePrincipal}");

            Assert.True(reply.Status == ReplyStatus.Ok, $"{reply.Status}: {reply.Text}\nS1:\n{s1.Log}\nS2:\n{s2.Log}");
            Assert.Equal("alice@ACTORAUTH.TEST", reply.Text);
            Assert.Equal("Delegation", alice.Greeting.Impersonation);
            Assert.Contains("session started for alice@ACTORAUTH.TEST", s2.Log.ToString(), StringComparison.Ordinal);
            Assert.Equal(1, s1.Metrics.LiveDelegatedCredentials);
        }
    }

    [Fact]
    public async Task A_client_that_did_not_delegate_is_denied_naming_the_level()
    {
        (TestServer s1, TestServer s2) = await StartPairAsync();
        await using (s2)
        await using (s1)
        {
            await using AuthenticatedChannel alice = await s1.ConnectAsync("alice", impersonation: TokenImpersonationLevel.Impersonation);

            SessionReply reply = await ForwardAsync(alice, $"127.0.0.1:{s2.Port} {RealmFixture.ServicePrincipal}");

            Assert.Equal(ReplyStatus.Denied, reply.Status);
            Assert.Equal("'forward-whoami' needs the Delegation impersonation level; alice@ACTORAUTH.TEST granted Impersonation", reply.Text);
            Assert.Equal(0, s1.Metrics.LiveDelegatedCredentials);
            Assert.Equal(0, s2.Metrics.HandshakesSucceeded + s2.Metrics.HandshakesFailed);
        }
    }

    [Fact]
    public async Task A_target_off_the_allow_list_is_denied_before_any_connection_is_made()
    {
        (TestServer s1, TestServer s2) = await StartPairAsync();
        await using (s2)
        await using (s1)
        {
            await using TestServer other = await TestServer.StartAsync(realm);
            await using AuthenticatedChannel alice = await s1.ConnectAsync("alice", impersonation: TokenImpersonationLevel.Delegation);

            SessionReply reply = await ForwardAsync(alice, $"127.0.0.1:{other.Port} {RealmFixture.ServicePrincipal}");

            Assert.Equal(ReplyStatus.Denied, reply.Status);
            Assert.Equal($"127.0.0.1:{other.Port} is not on this server's delegation allow-list (actorauth.server.delegation.targets)", reply.Text);
            Assert.Equal(0, other.Metrics.HandshakesSucceeded + other.Metrics.HandshakesFailed + other.Metrics.LiveConnections);
        }
    }

    [Fact]
    public async Task Delegated_credentials_are_released_when_their_sessions_end()
    {
        (TestServer s1, TestServer s2) = await StartPairAsync();
        await using (s2)
        await using (s1)
        {
            var sessions = new List<AuthenticatedChannel>();
            foreach (string user in (string[])["alice", "bob", "alice"])
            {
                sessions.Add(await s1.ConnectAsync(user, impersonation: TokenImpersonationLevel.Delegation));
            }

            Assert.Equal("bob@ACTORAUTH.TEST", (await ForwardAsync(sessions[1], $"127.0.0.1:{s2.Port} {RealmFixture.ServicePrincipal}")).Text);
            Assert.Equal(3, s1.Metrics.LiveDelegatedCredentials);
            foreach (AuthenticatedChannel session in sessions)
            {
                await session.DisposeAsync();
            }

            Assert.True(await TestServer.EventuallyAsync(() => s1.Metrics.LiveDelegatedCredentials == 0 && s1.Metrics.LiveSessions == 0),
                $"{s1.Metrics.LiveDelegatedCredentials} delegated credentials and {s1.Metrics.LiveSessions} sessions still live");
        }
    }

    [Fact]
    public async Task Forward_whoami_is_not_offered_without_targets()
    {
        await using TestServer server = await TestServer.StartAsync(realm);
        await using AuthenticatedChannel alice = await server.ConnectAsync("alice", impersonation: TokenImpersonationLevel.Delegation);

        Assert.DoesNotContain("forward-whoami", alice.Greeting.Operations ?? []);
    }
}
