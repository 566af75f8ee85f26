using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using ActorAuth.Bench;
using ActorAuth.Client;
using ActorAuth.Protocol;
using Xunit;

namespace ActorAuth.Integration.Tests;

/// <summary>
/// ActorAuth's client (library, command and bench) speaking the other dialects to stock servers of them: a .NET
/// NegotiateStream echo server written as any .NET user would, and MIT's own gss-server binary.
/// </summary>
[Collection(RealmCollection.Name)]
public sealed class ClientDialectTests(RealmFixture realm)
{
    private static readonly ClientDialect StockNegotiateStream = ClientDialect.For(WireDialect.NegotiateStream, stockServer: true);
    private static readonly ClientDialect GssSample = ClientDialect.For(WireDialect.GssSample, stockServer: true);

    private ActorAuthClientOptions Alice(ClientDialect dialect, string package = "Negotiate") => new()
    {
        Dialect = dialect.Dialect,
        StockServer = dialect.StockServer,
        Package = package,
        Credential = new NetworkCredential("alice", realm.Realm.PasswordOf("alice")),
    };

    private static Task<AuthenticatedChannel> ConnectAsync(int port, ActorAuthClientOptions options, string spn = RealmFixture.ServicePrincipal) =>
        ActorAuthClient.ConnectAsync("127.0.0.1", port, spn, options);

    private Task<TestServer> StartListenerAsync(WireDialect kind) =>
        TestServer.StartAsync(realm, [], ("actorauth:listeners:0:kind", kind.Name()), ("actorauth:listeners:0:port", "0"));

    [Theory]
    [InlineData(WireDialect.Sockauth)]
    [InlineData(WireDialect.NegotiateStream)]
    public async Task An_actorauth_listener_greets_and_serves_operations_in_its_dialect(WireDialect kind)
    {
        await using TestServer server = await StartListenerAsync(kind);
        await using AuthenticatedChannel channel = await ConnectAsync(server.Port, Alice(ClientDialect.For(kind)));

        Assert.Equal("alice@ACTORAUTH.TEST", channel.ClientPrincipal);
        Assert.Equal("hello", Encoding.UTF8.GetString((await channel.RequestAsync("hello"u8.ToArray())).Span));
        Assert.Equal("alice@ACTORAUTH.TEST", Encoding.UTF8.GetString((await channel.RequestAsync(ReadOnlyMemory<byte>.Empty, "whoami")).Span));
    }

    [Fact]
    public async Task An_actorauth_gss_sample_listener_signs_every_message()
    {
        await using TestServer server = await StartListenerAsync(WireDialect.GssSample);
        await using AuthenticatedChannel channel = await ConnectAsync(server.Port, Alice(ClientDialect.For(WireDialect.GssSample)));

        for (int i = 0; i < 3; i++)
        {
            Assert.True((await channel.RequestAsync(Encoding.UTF8.GetBytes($"message {i}"))).IsEmpty);
        }
    }

    [Theory]
    [InlineData("Negotiate")]
    [InlineData("Kerberos")]
    public async Task A_stock_negotiate_stream_echo_server_returns_every_message_after_mutual_authentication(string package)
    {
        await using var server = StockNegotiateStreamServer.Start();

        await using (AuthenticatedChannel channel = await ConnectAsync(server.Port, Alice(StockNegotiateStream, package)))
        {
            Assert.True(channel.IsMutuallyAuthenticated);
            foreach (string text in new[] { "hello", "a second message", new string('x', 5000) })
            {
                ReadOnlyMemory<byte> reply = await channel.RequestAsync(Encoding.UTF8.GetBytes(text));
                Assert.Equal(text, Encoding.UTF8.GetString(reply.Span));
            }
        }

        Assert.Equal("alice@ACTORAUTH.TEST", Assert.Single(server.AuthenticatedClients));
    }

    [Fact]
    public async Task The_largest_message_one_negotiate_stream_frame_carries_round_trips()
    {
        await using var server = StockNegotiateStreamServer.Start();
        await using AuthenticatedChannel channel = await ConnectAsync(server.Port, Alice(StockNegotiateStream));
        byte[] message = Enumerable.Range(0, NegotiateStreamCodec.MaxWriteDataSize).Select(i => (byte)i).ToArray();

        ReadOnlyMemory<byte> reply = await channel.RequestAsync(message);

        Assert.True(reply.Span.SequenceEqual(message));
    }

    [Fact]
    public async Task A_negotiate_stream_message_larger_than_one_frame_is_refused_before_it_is_sent()
    {
        await using var server = StockNegotiateStreamServer.Start();
        await using AuthenticatedChannel channel = await ConnectAsync(server.Port, Alice(StockNegotiateStream));

        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => channel.RequestAsync(new byte[NegotiateStreamCodec.MaxWriteDataSize + 1]));

        Assert.Contains("64512", error.Message, StringComparison.Ordinal);
        Assert.Equal("ok", Encoding.UTF8.GetString((await channel.RequestAsync("ok"u8.ToArray())).Span));
    }

    [Fact]
    public async Task A_stock_server_has_no_greeting_to_show()
    {
        await using var server = StockNegotiateStreamServer.Start();
        await using AuthenticatedChannel channel = await ConnectAsync(server.Port, Alice(StockNegotiateStream));

        Assert.False(channel.HasGreeting);
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => channel.Greeting);
        Assert.Contains("sends no greeting", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stock_server_reached_without_StockServer_is_named_as_such_when_no_greeting_comes()
    {
        await using var server = StockNegotiateStreamServer.Start();

        ActorAuthClientException silent = await Assert.ThrowsAsync<ActorAuthClientException>(() => ConnectAsync(server.Port,
            Alice(ClientDialect.For(WireDialect.NegotiateStream)) with { HandshakeTimeout = TimeSpan.FromSeconds(1) }));

        Assert.Equal(ClientFailure.Timeout, silent.Failure);
        Assert.Contains("--stock", silent.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_negotiate_stream_error_message_is_a_refusal_naming_its_code_in_hex()
    {
        await using var server = StockNegotiateStreamServer.Start();

        // The stock server holds no key for this SPN, so its accept fails and .NET sends an error message.
        ActorAuthClientException error = await Assert.ThrowsAsync<ActorAuthClientException>(() =>
            ConnectAsync(server.Port, Alice(StockNegotiateStream), RealmFixture.KeylessServicePrincipal));

        Assert.Equal(ClientFailure.ServerRefused, error.Failure);
        Assert.Matches("NegotiateStream error 0x[0-9A-F]{8}", error.Message);
    }

    [Fact]
    public async Task A_negotiate_stream_done_without_a_token_does_not_prove_the_server()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Task impostor = Task.Run(async () =>
        {
            using TcpClient client = await listener.AcceptTcpClientAsync();
            NetworkStream stream = client.GetStream();
            byte[] header = new byte[NegotiateStreamCodec.HeaderLength];
            await stream.ReadExactlyAsync(header);
            await stream.ReadExactlyAsync(new byte[(header[3] << 8) | header[4]]);
            await stream.WriteAsync(new byte[] { (byte)NegotiateStreamMessageId.HandshakeDone, 1, 0, 0, 0 });
            _ = await stream.ReadAtLeastAsync(new byte[1], 1, throwOnEndOfStream: false); // until the client gives up
        });

        ActorAuthClientException error = await Assert.ThrowsAsync<ActorAuthClientException>(() =>
            ConnectAsync(((IPEndPoint)listener.LocalEndpoint).Port, Alice(ClientDialect.For(WireDialect.NegotiateStream))));

        Assert.Equal(ClientFailure.ServerNotProven, error.Failure);
        await impostor;
    }

    [Theory]
    [InlineData("Negotiate")]
    [InlineData("Kerberos")]
    public async Task Mit_gss_server_signs_every_message_of_a_context_and_names_alice(string package)
    {
        await using GssServer server = await GssServer.StartAsync(realm);

        await using (AuthenticatedChannel channel = await ConnectAsync(server.Port, Alice(GssSample, package)))
        {
            Assert.True(channel.IsMutuallyAuthenticated);
            foreach (string text in new[] { "first message", "second message", "third message" })
            {
                Assert.True((await channel.RequestAsync(Encoding.UTF8.GetBytes(text))).IsEmpty);
            }
        }

        // gss-server flushes its output once the client's goodbye ends the connection.
        Assert.True(await server.ShowsAsync("Received message: \"third message\""), server.Output);
        Assert.Contains("Accepted connection: \"alice@ACTORAUTH.TEST\"", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mit_gss_server_accepts_one_context_after_another()
    {
        await using GssServer server = await GssServer.StartAsync(realm);

        for (int i = 0; i < 3; i++)
        {
            await using AuthenticatedChannel channel = await ConnectAsync(server.Port, Alice(GssSample));
            await channel.RequestAsync(Encoding.UTF8.GetBytes($"context {i}"));
        }

        Assert.True(await server.ShowsAsync("Received message: \"context 2\""), server.Output);
        Assert.Equal(3, server.Output.Split("Accepted connection: \"alice@ACTORAUTH.TEST\"").Length - 1);
    }

    [Fact]
    public async Task Mit_gss_server_refuses_a_ticket_for_a_service_it_holds_no_key_for()
    {
        await using GssServer server = await GssServer.StartAsync(realm);

        ActorAuthClientException error = await Assert.ThrowsAsync<ActorAuthClientException>(() =>
            ConnectAsync(server.Port, Alice(GssSample), RealmFixture.KeylessServicePrincipal));

        Assert.Equal(ClientFailure.ServerRefused, error.Failure);
    }

    [Fact]
    public async Task A_gss_sample_request_cannot_name_an_operation()
    {
        await using GssServer server = await GssServer.StartAsync(realm);
        await using AuthenticatedChannel channel = await ConnectAsync(server.Port, Alice(GssSample));

        await Assert.ThrowsAsync<ArgumentException>(() => channel.RequestAsync("x"u8.ToArray(), "whoami"));
    }

    [Fact]
    public async Task The_client_command_speaks_gss_sample_to_mit_gss_server()
    {
        await using GssServer server = await GssServer.StartAsync(realm);

        (int exit, string stdout, string stderr) = await RunCliAsync("client", "--dialect", "gss-sample", "--port", server.Port.ToString(), "--message", "hello");

        Assert.True(exit == 0, $"exit {exit}\n{stdout}\n{stderr}");
        Assert.Contains("client principal: alice@ACTORAUTH.TEST", stdout, StringComparison.Ordinal);
        Assert.Contains("mutual authentication: yes", stdout, StringComparison.Ordinal);
        Assert.Contains("signature verified", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_client_command_prints_the_reply_of_a_stock_negotiate_stream_server()
    {
        await using var server = StockNegotiateStreamServer.Start();

        (int exit, string stdout, string stderr) = await RunCliAsync("client", "--dialect", "negotiate-stream", "--stock", "--port", server.Port.ToString(), "--message", "hello");

        Assert.True(exit == 0, $"exit {exit}\n{stdout}\n{stderr}");
        Assert.Contains("mutual authentication: yes", stdout, StringComparison.Ordinal);
        Assert.Contains("reply: hello", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(WireDialect.Sockauth, false, "actorauth")]
    [InlineData(WireDialect.NegotiateStream, false, "actorauth-negotiate-stream")]
    [InlineData(WireDialect.GssSample, false, "actorauth-gss-sample")]
    [InlineData(WireDialect.NegotiateStream, true, "stock-negotiate-stream")]
    [InlineData(WireDialect.GssSample, true, "stock-gss-sample")]
    public async Task The_bench_runs_its_workload_in_each_dialect_and_names_it_in_the_report(WireDialect kind, bool stock, string target)
    {
        (IAsyncDisposable server, int port) = await StartAsync(kind, stock);
        await using (server)
        {
            using BenchUser alice = await BenchUser.LoginAsync("alice", Path.Combine(realm.Realm.Directory, "alice.password"), "Negotiate");
            var scenario = new ActorAuthScenario(new IPEndPoint(IPAddress.Loopback, port), RealmFixture.ServicePrincipal, [], [alice]) { Dialect = ClientDialect.For(kind, stock) };
            var options = new LoadOptions { Connections = 3, Handshakes = 12, MessageSize = 100, MessagesPerSession = 2, Progress = false };

            BenchResult result = await new LoadRunner(options, scenario).RunAsync();

            Assert.True(result.Failures == 0, string.Join(", ", result.Errors));
            Assert.Equal(12, result.Handshakes);
            Assert.Equal(target, result.Target);
        }
    }

    [Fact]
    public async Task The_bench_command_takes_the_dialect_and_a_stock_server()
    {
        await using GssServer server = await GssServer.StartAsync(realm);

        (int exit, string stdout, string stderr) = await ChildProcess.RunAsync("dotnet", realm.Realm.Environment,
            ChildProcess.Cli, "bench", "--dialect", "gss-sample", "--stock", "--port", server.Port.ToString(), "--dir", realm.Realm.Directory, "-c", "2", "-n", "6");

        Assert.True(exit == 0, $"exit {exit}\n{stdout}\n{stderr}");
        Assert.Contains("target: stock-gss-sample", stdout, StringComparison.Ordinal);
    }

    private async Task<(IAsyncDisposable Server, int Port)> StartAsync(WireDialect kind, bool stock)
    {
        if (!stock)
        {
            TestServer server = await StartListenerAsync(kind);
            return (server, server.Port);
        }

        if (kind == WireDialect.GssSample)
        {
            GssServer gss = await GssServer.StartAsync(realm);
            return (gss, gss.Port);
        }

        var echo = StockNegotiateStreamServer.Start();
        return (echo, echo.Port);
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> RunCliAsync(params string[] arguments) =>
        ChildProcess.RunAsync("dotnet", realm.Realm.Environment,
            [ChildProcess.Cli, .. arguments, "--user", "alice", "--password-file", Path.Combine(realm.Realm.Directory, "alice.password")]);
}
