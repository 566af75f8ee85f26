using System.Security.Principal;
using System.Text;
using ActorAuth.Client;
using Xunit;

namespace ActorAuth.Integration.Tests;

/// <summary>
/// read-file runs as the client on Linux: the principal's local account becomes a dedicated thread's fsuid, fsgid
/// and groups, so the kernel grants or refuses the open; paths resolve beneath the root by openat2.
/// </summary>
[Collection(RealmCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ImpersonationTests(RealmFixture realm, LocalAccounts accounts) : IClassFixture<LocalAccounts>
{
    private Task<TestServer> StartAsync(params (string, string)[] more) =>
        TestServer.StartAsync(realm, [("impersonation:root", accounts.Root), ("session:max-message", "64KiB"), .. more]);

    private static async Task<SessionReply> ReadAsync(AuthenticatedChannel channel, string path)
    {
        await channel.SendAsync(Encoding.UTF8.GetBytes(path), "read-file");
        return await channel.ReceiveAsync();
    }

    [Fact]
    public async Task Alice_reads_her_own_file_as_herself()
    {
        await using TestServer server = await StartAsync();
        await using AuthenticatedChannel alice = await server.ConnectAsync("alice", impersonation: TokenImpersonationLevel.Impersonation);

        SessionReply reply = await ReadAsync(alice, "alice.txt");

        Assert.True(reply.Status == Protocol.ReplyStatus.Ok, $"{reply.Status}: {reply.Text}\n{server.Log}");
        Assert.Equal("alice's secret\n", reply.Text);
        Assert.Equal("Impersonation", alice.Greeting.Impersonation);
    }

    [Fact]
    public async Task Bob_is_refused_alices_file_by_the_kernel()
    {
        await using TestServer server = await StartAsync();
        await using AuthenticatedChannel bob = await server.ConnectAsync("bob", impersonation: TokenImpersonationLevel.Impersonation);

        SessionReply reply = await ReadAsync(bob, "alice.txt");

        Assert.True(reply.Status == Protocol.ReplyStatus.Denied, $"{reply.Status}: {reply.Text}");
        Assert.Contains("Permission denied", reply.Text, StringComparison.Ordinal);
        Assert.Equal("bob's secret\n", (await ReadAsync(bob, "bob.txt")).Text); // and his session goes on
    }

    [Theory]
    [InlineData("../outside/secret.txt")]
    [InlineData("sub/../../outside/secret.txt")]
    [InlineData("/etc/hostname")]
    [InlineData("link-out")]
    [InlineData("link-absolute")]
    [InlineData("dir-out/secret.txt")]
    public async Task A_path_that_leaves_the_root_is_refused(string path)
    {
        await using TestServer server = await StartAsync();
        await using AuthenticatedChannel alice = await server.ConnectAsync("alice", impersonation: TokenImpersonationLevel.Impersonation);

        SessionReply reply = await ReadAsync(alice, path);

        Assert.True(reply.Status == Protocol.ReplyStatus.Denied, $"{path}: {reply.Status}: {reply.Text}");
        Assert.Contains("outside the root", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_symlink_that_stays_inside_the_root_is_followed()
    {
        await using TestServer server = await StartAsync();
        await using AuthenticatedChannel bob = await server.ConnectAsync("bob", impersonation: TokenImpersonationLevel.Impersonation);

        Assert.Equal("for everyone\n", (await ReadAsync(bob, "link-in")).Text);
    }

    [Fact]
    public async Task An_absent_file_and_a_directory_fail_saying_so()
    {
        await using TestServer server = await StartAsync();
        await using AuthenticatedChannel alice = await server.ConnectAsync("alice", impersonation: TokenImpersonationLevel.Impersonation);

        SessionReply absent = await ReadAsync(alice, "nothing-here.txt");
        SessionReply directory = await ReadAsync(alice, "sub");

        Assert.Equal((Protocol.ReplyStatus.Failed, "no file 'nothing-here.txt'"), (absent.Status, absent.Text));
        Assert.Equal((Protocol.ReplyStatus.Failed, "'sub' is not a regular file"), (directory.Status, directory.Text));
    }

    [Fact]
    public async Task A_file_larger_than_the_sessions_maximum_message_is_not_sent()
    {
        string big = Path.Combine(accounts.Root, $"big-{Guid.NewGuid():N}.bin");
        LocalAccounts.Write(big, new string('x', 70 * 1024), "alice", "600");
        await using TestServer server = await StartAsync();
        await using AuthenticatedChannel alice = await server.ConnectAsync("alice", impersonation: TokenImpersonationLevel.Impersonation);

        SessionReply reply = await ReadAsync(alice, Path.GetFileName(big));

        Assert.Equal(Protocol.ReplyStatus.Failed, reply.Status);
        Assert.Contains("the limit is 65536", reply.Text, StringComparison.Ordinal);
        File.Delete(big);
    }

    [Fact]
    public async Task A_principal_without_a_local_account_is_refused_before_anything_is_opened()
    {
        await realm.Realm.AddUserAsync(LocalAccounts.UserWithoutAccount);
        await using TestServer server = await StartAsync();
        await using AuthenticatedChannel nolocal = await server.ConnectAsync(LocalAccounts.UserWithoutAccount, impersonation: TokenImpersonationLevel.Impersonation);

        SessionReply reply = await ReadAsync(nolocal, "public.txt");

        Assert.Equal(Protocol.ReplyStatus.Denied, reply.Status);
        Assert.Equal("nolocal@ACTORAUTH.TEST cannot be impersonated: nolocal@ACTORAUTH.TEST maps to 'nolocal', which has no local account", reply.Text);
    }

    [Fact]
    public async Task A_client_that_granted_only_identification_is_denied_read_file()
    {
        await using TestServer server = await StartAsync();
        await using AuthenticatedChannel alice = await server.ConnectAsync("alice", impersonation: TokenImpersonationLevel.Identification);

        SessionReply reply = await ReadAsync(alice, "public.txt");

        Assert.Equal(Protocol.ReplyStatus.Denied, reply.Status);
        Assert.Equal("'read-file' needs the Impersonation impersonation level; alice@ACTORAUTH.TEST granted Identification", reply.Text);
        Assert.Equal("Identification", alice.Greeting.Impersonation);
    }

    [Fact]
    public async Task After_each_request_every_thread_of_the_server_is_the_server_again()
    {
        var own = Security.Impersonation.LinuxThreadCredentials.Current();
        await using TestServer server = await StartAsync();
        await using AuthenticatedChannel alice = await server.ConnectAsync("alice", impersonation: TokenImpersonationLevel.Impersonation);
        await using AuthenticatedChannel bob = await server.ConnectAsync("bob", impersonation: TokenImpersonationLevel.Impersonation);

        foreach ((AuthenticatedChannel client, string path) in new[] { (alice, "alice.txt"), (bob, "alice.txt"), (alice, "../outside/secret.txt"), (bob, "bob.txt") })
        {
            _ = await ReadAsync(client, path);
            foreach (string task in System.IO.Directory.GetDirectories("/proc/self/task"))
            {
                Security.Impersonation.LinuxThreadCredentials.Snapshot thread;
                try
                {
                    thread = Security.Impersonation.LinuxThreadCredentials.OfThread(int.Parse(Path.GetFileName(task), System.Globalization.CultureInfo.InvariantCulture));
                }
                catch (IOException)
                {
                    continue; // the thread ended between the listing and the read
                }

                Assert.True(thread.SameAs(own), $"thread {Path.GetFileName(task)} has {thread} after {client.ClientPrincipal} read {path}; the server is {own}");
            }
        }
    }

    [Fact]
    public void No_path_built_from_dots_slashes_and_links_reads_a_file_outside_the_root()
    {
        // Even as the server (root, no impersonation), so only the resolution stands between a path and the file.
        string[] parts = ["..", ".", "", "sub", "link-out", "link-absolute", "dir-out", "link-in", "secret.txt", "outside", "public.txt", "alice.txt", "root", "/"];
        var random = new Random(1101);
        using var root = new Security.Impersonation.ConfinedRoot(accounts.Root);
        for (int i = 0; i < 5000; i++)
        {
            string path = string.Join('/', Enumerable.Range(0, random.Next(1, 7)).Select(_ => parts[random.Next(parts.Length)]));
            if (path.Length == 0)
            {
                continue;
            }

            (Security.Impersonation.ConfinedReadStatus status, byte[] content, _) = root.Read(path, 1 << 16);
            Assert.False(status == Security.Impersonation.ConfinedReadStatus.Ok && Encoding.UTF8.GetString(content) == "outside the root\n",
                $"'{path}' read the file outside the root");
        }
    }

    [Fact]
    public async Task Read_file_is_not_offered_without_a_root()
    {
        await using TestServer server = await TestServer.StartAsync(realm);
        await using AuthenticatedChannel alice = await server.ConnectAsync("alice", impersonation: TokenImpersonationLevel.Impersonation);

        Assert.DoesNotContain("read-file", alice.Greeting.Operations ?? []);
    }
}
