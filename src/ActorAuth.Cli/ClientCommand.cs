using System.CommandLine;
using System.DirectoryServices.Protocols;
using System.Net;
using System.Net.Security;
using System.Security.Principal;
using System.Text;
using ActorAuth.Client;
using ActorAuth.Directory;
using ActorAuth.Protocol;
using ActorAuth.Security;

namespace ActorAuth.Cli;

/// <summary>
/// <c>actorauth client --host H --port P --spn SPN [--user U --password-file F]</c>: authenticates and prints
/// who is who. Exit 0 only on mutual authentication; otherwise one line giving the reason, exit 1. With
/// <c>--discover</c>, host, port and SPN come from the service's SCPs in the directory instead (one instance, the
/// next in the process's rotation, failing over to the others; every instance found and every one skipped is printed); with
/// <c>--dialect</c> (and <c>--stock</c>), the server speaks another wire dialect.
/// </summary>
internal static class ClientCommand
{
    public static Command Create()
    {
        var host = new Option<string>("--host") { Description = "Server host name or address.", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Server TCP port.", DefaultValueFactory = _ => 2000 };
        var spn = new Option<string>("--spn") { Description = "Service principal name the server must prove (e.g. actorauth/localhost).", DefaultValueFactory = _ => "actorauth/localhost" };
        var user = new Option<string?>("--user") { Description = "User principal (e.g. alice); with --password-file. Without it, the ticket cache (KRB5CCNAME) is used." };
        var passwordFile = new Option<FileInfo?>("--password-file") { Description = "File holding the user's password." };
        var message = new Option<string?>("--message") { Description = "Send this text as one protected request and print the reply." };
        var operation = new Option<string>("--operation") { Description = "Operation the request invokes (default: the server's default, echo).", DefaultValueFactory = _ => "" };
        var protection = new Option<string>("--protection") { Description = "Protection of the session's messages: encrypt or sign.", DefaultValueFactory = _ => "encrypt" };
        protection.AcceptOnlyFromAmong("encrypt", "sign");
        var impersonation = new Option<string>("--impersonation")
        {
            Description = "What the client lets the server do as it: identify (know who it is), impersonate (act as it locally, e.g. read-file), or delegate (also reach other services as it: forward-whoami; needs a forwardable ticket).",
            DefaultValueFactory = _ => "identify",
        };
        impersonation.AcceptOnlyFromAmong("identify", "impersonate", "delegate");
        Option<string> package = CliOptions.Package();
        Option<string> config = CliOptions.Config();
        var discover = new Option<bool>("--discover") { Description = "Find host, port and SPN through the service's SCP in the directory (--backend …) instead of --host/--port/--spn." };
        var serviceClass = new Option<string>("--service-class") { Description = "With --discover: the service class to look up.", DefaultValueFactory = _ => "actorauth" };
        var keywords = new Option<string[]>("--keywords") { Description = "With --discover: keywords the SCPs must carry (the service's GUID picks the service; each of its SCPs is an instance).", AllowMultipleArgumentsPerToken = true };
        Option<string> dialect = DialectOption();
        Option<bool> stock = StockOption();
        var command = new Command("client", "Authenticate to a server, print the principals, package and whether mutual authentication was achieved, and optionally send a protected message.")
        {
            host, port, spn, user, passwordFile, package, message, operation, protection, impersonation, config, discover, serviceClass, keywords, dialect, stock,
        };
        var directory = new DirectoryCliOptions(command, config);
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var configuration = directory.ApplyKerberos(parse);
                ClientDialect wire = Dialect(parse.GetValue(dialect)!, parse.GetValue(stock));
                var options = new ActorAuthClientOptions
                {
                    Package = parse.GetValue(package)!,
                    Credential = Credential(parse.GetValue(user), parse.GetValue(passwordFile)),
                    ProtectionLevel = parse.GetValue(protection) == "sign" ? ProtectionLevel.Sign : ProtectionLevel.EncryptAndSign,
                    ImpersonationLevel = ImpersonationLevel(parse.GetValue(impersonation)!),
                    Dialect = wire.Dialect,
                    StockServer = wire.StockServer,
                };

                // Without a greeting the client principal is known only from a credential acquired up front.
                using ClientCredential? credential = wire.IsActorAuthSession
                    ? null
                    : ClientCredential.Acquire(new ClientCredentialOptions { Package = options.Package, Credential = options.Credential });
                options = credential is null ? options : options with { Credential = null, SharedCredential = credential };
                await using AuthenticatedChannel channel = parse.GetValue(discover)
                    ? await ConnectDiscoveredAsync()
                    : await ActorAuthClient.ConnectAsync(parse.GetValue(host)!, parse.GetValue(port), parse.GetValue(spn)!, options, cancellationToken);
                Print(channel);
                if (parse.GetValue(message) is string text)
                {
                    ReadOnlyMemory<byte> reply = await channel.RequestAsync(Encoding.UTF8.GetBytes(text), parse.GetValue(operation)!, cancellationToken);
                    Console.WriteLine(wire.RepliesWithMic ? "signature verified" : $"reply: {Encoding.UTF8.GetString(reply.Span)}");
                }

                return 0;

                async Task<AuthenticatedChannel> ConnectDiscoveredAsync()
                {
                    if (new Option[] { host, port, spn }.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is Option given)
                    {
                        throw new ArgumentException($"--discover takes host, port and SPN from the directory; drop {given.Name}.");
                    }

                    ServiceInstances instances = await ActorAuthClient.DiscoverAllAsync(
                        directory.CreateBackend(parse, configuration), parse.GetValue(serviceClass)!, parse.GetValue(keywords), cancellationToken);
                    foreach (DiscoveredService instance in instances)
                    {
                        Console.WriteLine($"discovered: {instance.Host}:{instance.Port} spn {instance.Spn} (SCP {instance.Scp.DistinguishedName ?? "in the dev realm store"})");
                    }

                    AuthenticatedChannel connected = await ActorAuthClient.ConnectAsync(instances, options, cancellationToken);
                    foreach (InstanceAttempt skipped in connected.SkippedInstances)
                    {
                        Console.WriteLine($"skipped: {skipped}");
                    }

                    Console.WriteLine($"connected: {connected.Instance!.Host}:{connected.Instance.Port}");
                    return connected;
                }
            }
            catch (Exception e) when (e is ActorAuthClientException or ArgumentException or IOException or DirectoryUnavailableException or DirectoryException or SecurityPackageException)
            {
                string reason = e switch
                {
                    ActorAuthClientException c => $"{c.Failure}: {c.Message}",
                    SecurityPackageException => $"{ClientFailure.CredentialsRejected}: {e.Message}",
                    _ => e.Message,
                };
                await Console.Error.WriteLineAsync($"actorauth client: {reason}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>
    /// A credential from a user name and a password file (trailing newline ignored), or null for the ticket cache;
    /// <paramref name="userOption"/> and <paramref name="passwordOption"/> name the options in the error for one without the other.
    /// </summary>
    public static NetworkCredential? Credential(string? user, FileInfo? passwordFile, string userOption = "--user", string passwordOption = "--password-file")
    {
        if (user is null && passwordFile is null)
        {
            return null;
        }

        if (user is null || passwordFile is null)
        {
            throw new ArgumentException($"{userOption} and {passwordOption} go together.");
        }

        string password = File.ReadAllText(passwordFile.FullName).TrimEnd('\r', '\n');
        return new NetworkCredential(user, password);
    }

    /// <summary>The level <c>--impersonation identify|impersonate|delegate</c> names.</summary>
    public static TokenImpersonationLevel ImpersonationLevel(string name) => name switch
    {
        "identify" => TokenImpersonationLevel.Identification,
        "impersonate" => TokenImpersonationLevel.Impersonation,
        "delegate" => TokenImpersonationLevel.Delegation,
        _ => throw new ArgumentException($"--impersonation: '{name}' is not one of: identify, impersonate, delegate."),
    };

    /// <summary><c>--dialect sockauth|negotiate-stream|gss-sample</c>, for the client and the bench.</summary>
    public static Option<string> DialectOption()
    {
        var option = new Option<string>("--dialect") { Description = "Wire dialect of the server's listener: sockauth, negotiate-stream or gss-sample.", DefaultValueFactory = _ => WireDialect.Sockauth.Name() };
        option.AcceptOnlyFromAmong(WireDialect.Sockauth.Name(), WireDialect.NegotiateStream.Name(), WireDialect.GssSample.Name());
        return option;
    }

    /// <summary><c>--stock</c>, for the client and the bench.</summary>
    public static Option<bool> StockOption() => new("--stock")
    {
        Description = "The server is a stock implementation of the dialect, not ActorAuth: no greeting, a request is the raw message (a NegotiateStream echo server, MIT's gss-server).",
    };

    /// <summary>The dialect the two options name.</summary>
    /// <exception cref="ArgumentException">--stock with sockauth.</exception>
    public static ClientDialect Dialect(string name, bool stock)
    {
        WireDialect dialect = WireDialects.Parse(name, "--dialect");
        return stock && dialect == WireDialect.Sockauth
            ? throw new ArgumentException("--stock needs --dialect negotiate-stream or gss-sample: sockauth's session is ActorAuth's own.")
            : ClientDialect.For(dialect, stock);
    }

    /// <summary>Prints the outcome of a handshake and, from an ActorAuth server, its greeting, one fact a line.</summary>
    public static void Print(AuthenticatedChannel channel)
    {
        Console.WriteLine($"client principal: {(channel.ClientPrincipal.Length > 0 ? channel.ClientPrincipal : "unknown")}");
        Console.WriteLine($"server principal: {channel.ServerPrincipal}");
        Console.WriteLine($"package: {channel.Package}");
        Console.WriteLine($"mutual authentication: {(channel.IsMutuallyAuthenticated ? "yes" : "no")}");
        Console.WriteLine($"dialect: {channel.Dialect}");
        if (!channel.HasGreeting)
        {
            Console.WriteLine($"protection: {(channel.ProtectionLevel == ProtectionLevel.EncryptAndSign ? "encrypt" : "sign")}");
            return;
        }

        Console.WriteLine($"protection: {channel.Greeting.Protection}");
        Console.WriteLine($"impersonation: {channel.Greeting.Impersonation}");
        Console.WriteLine($"operations: {string.Join(", ", channel.Greeting.Operations ?? [])}");
        Console.WriteLine($"greeting: {Encoding.UTF8.GetString(channel.Greeting.ToUtf8())}");
    }
}
